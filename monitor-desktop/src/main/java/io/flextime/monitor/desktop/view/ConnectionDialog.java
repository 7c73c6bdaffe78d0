package io.flextime.monitor.desktop.view;

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
import javafx.stage.Window;
import javafx.util.converter.NumberStringConverter;

import io.flextime.monitor.desktop.connection.ConnectionProfiles;
import io.flextime.monitor.desktop.viewmodel.ConnectionViewModel;

/** Host, port, user, password, database, TLS and prefix; saved profiles to pick from and save to. */
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
        form.addRow(0, new Label("Profile"), profiles);
        form.addRow(1, new Label("Host"), host);
        form.addRow(2, new Label("Port"), port);
        form.addRow(3, new Label("User"), user);
        form.addRow(4, new Label("Password"), password);
        form.addRow(5, new Label("Database"), database);
        form.addRow(6, new Label(""), tls);
        form.addRow(7, new Label("Key prefix"), prefix);
        form.addRow(8, new Label(""), remember);
        form.addRow(9, new Label(""), new HBox(8, save, delete));
        dialog.getDialogPane().setContent(form);
        if (dialog.showAndWait().filter(button -> button == connect).isPresent()) {
            model.connect();
        }
        else {
            model.revert();
        }
    }
}
