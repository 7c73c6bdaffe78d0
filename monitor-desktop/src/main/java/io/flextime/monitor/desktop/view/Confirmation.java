package io.flextime.monitor.desktop.view;

import java.util.Optional;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/** The confirmation every admin action asks for, stating exactly what will happen. */
final class Confirmation {

    private Confirmation() {
    }

    static boolean confirm(Window owner, String title, String whatWillHappen) {
        Alert dialog = new Alert(Alert.AlertType.CONFIRMATION, whatWillHappen, ButtonType.CANCEL, ButtonType.OK);
        dialog.initOwner(owner);
        dialog.setTitle(title);
        dialog.setHeaderText(title);
        dialog.getDialogPane().setId("confirmation");
        Optional<ButtonType> answer = dialog.showAndWait();
        return answer.isPresent() && answer.get() == ButtonType.OK;
    }

    static void inform(Window owner, String title, String text) {
        Alert dialog = new Alert(Alert.AlertType.INFORMATION, text, ButtonType.OK);
        dialog.initOwner(owner);
        dialog.setTitle(title);
        dialog.setHeaderText(title);
        dialog.showAndWait();
    }
}
