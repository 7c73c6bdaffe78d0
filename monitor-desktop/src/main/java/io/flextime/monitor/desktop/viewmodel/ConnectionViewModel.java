package io.flextime.monitor.desktop.viewmodel;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import io.flextime.monitor.desktop.connection.ConnectionProfiles;
import io.flextime.monitor.desktop.connection.ConnectionSettings;
import io.flextime.monitor.desktop.connection.MonitorSession;

/** The connection dialog's fields, the saved profiles, and the status bar. */
public class ConnectionViewModel {

    private final UiThread ui;

    private final MonitorSession session;

    private final ConnectionProfiles profiles;

    private final StringProperty host = new SimpleStringProperty();

    private final IntegerProperty port = new SimpleIntegerProperty();

    private final StringProperty username = new SimpleStringProperty();

    private final StringProperty password = new SimpleStringProperty();

    private final IntegerProperty database = new SimpleIntegerProperty();

    private final BooleanProperty tls = new SimpleBooleanProperty();

    private final StringProperty prefix = new SimpleStringProperty();

    private final ObjectProperty<ConnectionSettings.Topology> topology = new SimpleObjectProperty<>();

    private final StringProperty nodes = new SimpleStringProperty();

    private final StringProperty sentinelMaster = new SimpleStringProperty();

    private final StringProperty caCertificate = new SimpleStringProperty();

    private final StringProperty clientCertificate = new SimpleStringProperty();

    private final StringProperty clientKey = new SimpleStringProperty();

    private final BooleanProperty rememberPassword = new SimpleBooleanProperty();

    private final ObservableList<ConnectionProfiles.Profile> savedProfiles = FXCollections.observableArrayList();

    private final ObjectProperty<MonitorSession.State> state = new SimpleObjectProperty<>();

    private final StringProperty status = new SimpleStringProperty("Not connected");

    /** What the session was last asked to connect to. */
    private ConnectionSettings connected;

    public ConnectionViewModel(UiThread ui, MonitorSession session, ConnectionProfiles profiles, ConnectionSettings preselected) {
        this.ui = ui;
        this.session = session;
        this.profiles = profiles;
        this.connected = preselected;
        show(preselected);
        this.savedProfiles.setAll(profiles.load());
        session.onStatus(update -> this.ui.execute(() -> {
            this.state.set(update.state());
            this.status.set(switch (update.state()) {
                case CONNECTED -> "Connected to " + update.detail();
                case RECONNECTING -> "Reconnecting: " + update.detail();
                case FAILED -> "Failed: " + update.detail();
            });
        }));
    }

    public ConnectionSettings settings() {
        ConnectionSettings.TlsFiles files = emptyToNull(this.caCertificate.get()) == null
                && emptyToNull(this.clientCertificate.get()) == null && emptyToNull(this.clientKey.get()) == null ? null
                        : new ConnectionSettings.TlsFiles(emptyToNull(this.caCertificate.get()),
                                emptyToNull(this.clientCertificate.get()), emptyToNull(this.clientKey.get()));
        return new ConnectionSettings(this.host.get(), this.port.get(), emptyToNull(this.username.get()),
                emptyToNull(this.password.get()), this.database.get(), this.tls.get(), this.prefix.get(),
                this.topology.get(), emptyToNull(this.nodes.get()), emptyToNull(this.sentinelMaster.get()), files);
    }

    public void connect() {
        this.connected = settings();
        this.status.set("Connecting to " + this.connected.describe());
        this.session.connect(this.connected);
    }

    /** Puts the fields back to the connection in use: a cancelled dialog changes nothing. */
    public void revert() {
        show(this.connected);
    }

    public void saveProfile(String name) {
        this.profiles.save(name, settings(), this.rememberPassword.get());
        this.savedProfiles.setAll(this.profiles.load());
    }

    public void deleteProfile(ConnectionProfiles.Profile profile) {
        this.profiles.delete(profile.name());
        this.savedProfiles.setAll(this.profiles.load());
    }

    public void load(ConnectionProfiles.Profile profile) {
        show(profile.settings());
        this.rememberPassword.set(profile.rememberPassword());
    }

    private void show(ConnectionSettings settings) {
        this.host.set(settings.host());
        this.port.set(settings.port());
        this.username.set(settings.username());
        this.password.set(settings.password());
        this.database.set(settings.database());
        this.tls.set(settings.tls());
        this.prefix.set(settings.prefix());
        this.topology.set(settings.topology());
        this.nodes.set(settings.nodes());
        this.sentinelMaster.set(settings.sentinelMaster());
        ConnectionSettings.TlsFiles files = settings.tlsFiles();
        this.caCertificate.set(files == null ? null : files.caCertificate());
        this.clientCertificate.set(files == null ? null : files.clientCertificate());
        this.clientKey.set(files == null ? null : files.clientKey());
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    public StringProperty hostProperty() {
        return this.host;
    }

    public IntegerProperty portProperty() {
        return this.port;
    }

    public StringProperty usernameProperty() {
        return this.username;
    }

    public StringProperty passwordProperty() {
        return this.password;
    }

    public IntegerProperty databaseProperty() {
        return this.database;
    }

    public BooleanProperty tlsProperty() {
        return this.tls;
    }

    public StringProperty prefixProperty() {
        return this.prefix;
    }

    public ObjectProperty<ConnectionSettings.Topology> topologyProperty() {
        return this.topology;
    }

    public StringProperty nodesProperty() {
        return this.nodes;
    }

    public StringProperty sentinelMasterProperty() {
        return this.sentinelMaster;
    }

    public StringProperty caCertificateProperty() {
        return this.caCertificate;
    }

    public StringProperty clientCertificateProperty() {
        return this.clientCertificate;
    }

    public StringProperty clientKeyProperty() {
        return this.clientKey;
    }

    public BooleanProperty rememberPasswordProperty() {
        return this.rememberPassword;
    }

    public ObservableList<ConnectionProfiles.Profile> savedProfiles() {
        return this.savedProfiles;
    }

    public ObjectProperty<MonitorSession.State> stateProperty() {
        return this.state;
    }

    public StringProperty statusProperty() {
        return this.status;
    }
}
