package io.flextime.monitor.desktop.view;

import java.io.File;

import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;
import javafx.util.converter.NumberStringConverter;

import io.flextime.monitor.desktop.connection.ConnectionProfiles;
import io.flextime.monitor.desktop.connection.ConnectionSettings;
import io.flextime.monitor.desktop.viewmodel.ConnectionViewModel;

/**
 * One server (host and port), a cluster (its nodes) or Sentinel (master name and sentinels); user, password,
 * database, TLS with optional PEM files, and prefix; saved profiles to pick from and save to.
 */
final class ConnectionDialog {

    private ConnectionDialog() {
    }

    static void show(Window owner, ConnectionViewModel model) {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("Connect to Redis");
        ButtonType connect = new ButtonType("Connect", javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, connect);
        ComboBox<ConnectionProfiles.Profile> profiles = new ComboBox<>(model.savedProfiles());
        profiles.setPromptText("Saved profiles");
        profiles.valueProperty().addListener((observable, old, profile) -> {
            if (profile != null) {
                model.load(profile);
            }
        });
        TextField host = new TextField();
        host.textProperty().bindBidirectional(model.hostProperty());
        TextField port = new TextField();
        port.textProperty().bindBidirectional(model.portProperty(), new NumberStringConverter("#"));
        TextField user = new TextField();
        user.textProperty().bindBidirectional(model.usernameProperty());
        PasswordField password = new PasswordField();
        password.textProperty().bindBidirectional(model.passwordProperty());
        TextField database = new TextField();
        database.textProperty().bindBidirectional(model.databaseProperty(), new NumberStringConverter("#"));
        CheckBox tls = new CheckBox("TLS");
        tls.selectedProperty().bindBidirectional(model.tlsProperty());
        ComboBox<ConnectionSettings.Topology> topology = new ComboBox<>(FXCollections.observableArrayList(
                ConnectionSettings.Topology.values()));
        topology.setConverter(new StringConverter<>() {
            @Override
            public String toString(ConnectionSettings.Topology value) {
                return value == null ? "" : switch (value) {
                    case SINGLE -> "One server";
                    case CLUSTER -> "Redis Cluster";
                    case SENTINEL -> "Sentinel";
                };
            }

            @Override
            public ConnectionSettings.Topology fromString(String text) {
                throw new UnsupportedOperationException("not editable");
            }
        });
        topology.setId("topology");
        host.setId("host");
        topology.valueProperty().bindBidirectional(model.topologyProperty());
        BooleanBinding single = model.topologyProperty().isEqualTo(ConnectionSettings.Topology.SINGLE);
        host.disableProperty().bind(single.not());
        port.disableProperty().bind(single.not());
        TextField nodes = new TextField();
        nodes.setId("nodes");
        nodes.setPromptText("host:port, host:port, ...");
        nodes.textProperty().bindBidirectional(model.nodesProperty());
        nodes.disableProperty().bind(single);
        TextField master = new TextField();
        master.setId("sentinel-master");
        master.textProperty().bindBidirectional(model.sentinelMasterProperty());
        master.disableProperty().bind(model.topologyProperty().isNotEqualTo(ConnectionSettings.Topology.SENTINEL));
        tls.setId("tls");
        HBox ca = pemFile(model.caCertificateProperty(), tls, "CA certificate");
        ca.setId("tls-ca");
        HBox certificate = pemFile(model.clientCertificateProperty(), tls, "Client certificate");
        HBox key = pemFile(model.clientKeyProperty(), tls, "Client key");
        TextField prefix = new TextField();
        prefix.textProperty().bindBidirectional(model.prefixProperty());
        CheckBox remember = new CheckBox("Save the password with the profile");
        remember.selectedProperty().bindBidirectional(model.rememberPasswordProperty());
        Button save = new Button("Save profile…");
        save.setOnAction(event -> {
            TextInputDialog name = new TextInputDialog("local");
            name.initOwner(dialog.getDialogPane().getScene().getWindow());
            name.setHeaderText("Profile name");
            name.showAndWait().filter(text -> !text.isBlank()).ifPresent(model::saveProfile);
        });
        Button delete = new Button("Delete profile");
        delete.disableProperty().bind(profiles.valueProperty().isNull());
        delete.setOnAction(event -> {
            ConnectionProfiles.Profile selected = profiles.getValue();
            if (Confirmation.confirm(dialog.getDialogPane().getScene().getWindow(), "Delete profile",
                    "Delete the saved profile '" + selected.name() + "'? The connection in use is not affected.")) {
                model.deleteProfile(selected);
            }
        });
        GridPane form = new GridPane(8, 8);
        form.setPadding(new Insets(12));
        int row = 0;
        form.addRow(row++, new Label("Profile"), profiles);
        form.addRow(row++, new Label("Connect to"), topology);
        form.addRow(row++, new Label("Host"), host);
        form.addRow(row++, new Label("Port"), port);
        form.addRow(row++, new Label("Nodes"), nodes);
        form.addRow(row++, new Label("Sentinel master"), master);
        form.addRow(row++, new Label("User"), user);
        form.addRow(row++, new Label("Password"), password);
        form.addRow(row++, new Label("Database"), database);
        form.addRow(row++, new Label(""), tls);
        form.addRow(row++, new Label("CA certificate"), ca);
        form.addRow(row++, new Label("Client certificate"), certificate);
        form.addRow(row++, new Label("Client key"), key);
        form.addRow(row++, new Label("Key prefix"), prefix);
        form.addRow(row++, new Label(""), remember);
        form.addRow(row, new Label(""), new HBox(8, save, delete));
        dialog.getDialogPane().setContent(form);
        if (dialog.showAndWait().filter(button -> button == connect).isPresent()) {
            model.connect();
        }
        else {
            model.revert();
        }
    }

    /** A PEM file path, typed or chosen; only used with TLS on. */
    private static HBox pemFile(StringProperty path, CheckBox tls, String what) {
        TextField field = new TextField();
        field.setPromptText("optional");
        field.textProperty().bindBidirectional(path);
        Button browse = new Button("…");
        browse.setOnAction(event -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(what);
            chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("PEM", "*.pem", "*.crt", "*.key"),
                    new FileChooser.ExtensionFilter("All files", "*"));
            File chosen = chooser.showOpenDialog(browse.getScene().getWindow());
            if (chosen != null) {
                path.set(chosen.getAbsolutePath());
            }
        });
        HBox box = new HBox(4, field, browse);
        box.disableProperty().bind(tls.selectedProperty().not());
        return box;
    }
}
