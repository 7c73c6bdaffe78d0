package io.flextime.monitor.desktop;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import javax.imageio.ImageIO;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import io.flextime.monitor.desktop.connection.ConfigFiles;
import io.flextime.monitor.desktop.connection.ConnectionSettings;
import io.flextime.monitor.desktop.connection.MonitorSession;
import io.flextime.monitor.desktop.view.MainView;
import io.flextime.monitor.desktop.view.Themes;
import io.flextime.monitor.desktop.viewmodel.MonitorViewModel;
import io.flextime.streams.monitor.alert.AlertThresholds;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real main window, headless (Monocle), against a seeded Redis: tables fill, an alert appears and resolves,
 * and every admin action goes through its confirmation (cancel changes nothing, OK does the work).
 */
@ExtendWith(ApplicationExtension.class)
class MainWindowTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @TempDir
    Path config;

    private SeededRedis seeded;

    private MonitorSession session;

    private MonitorViewModel model;

    private MainView view;

    @Start
    void start(Stage stage) {
        this.seeded = new SeededRedis(redisServer.server());
        this.seeded.seed();
        Themes.apply(false);
        this.session = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(), Duration.ofMillis(300));
        this.model = new MonitorViewModel(Platform::runLater, this.session, new ConfigFiles(this.config), this.seeded.settings());
        this.view = new MainView(this.model);
        stage.setScene(new Scene(this.view, 1280, 820));
        stage.show();
        this.model.connection().connect();
    }

    @AfterEach
    void stop() {
        this.session.close();
        this.seeded.close();
    }

    @Test
    void streamsTableFillsAndTheStatusBarSaysConnected(FxRobot robot) {
        await().atMost(TIMEOUT).until(() -> table(robot, "#streams").getItems().size() == 3);
        assertThat(robot.lookup("#status").queryAs(Label.class).getText()).startsWith("Connected to redis://");
        robot.clickOn("Streams");
        TextField filter = robot.lookup("#stream-filter").queryAs(TextField.class);
        robot.interact(() -> filter.setText("game"));
        await().atMost(TIMEOUT).until(() -> table(robot, "#streams").getItems().size() == 1);
    }

    @Test
    void theConnectionDialogShowsTheFieldsOfTheChosenTopology(FxRobot robot) {
        robot.clickOn("Connect…");
        ComboBox<?> topology = robot.lookup("#topology").queryAs(ComboBox.class);
        assertThat(robot.lookup("#nodes").queryAs(TextField.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#tls-ca").query().isDisabled()).as("TLS files without TLS").isTrue();

        robot.interact(() -> this.model.connection().topologyProperty().set(ConnectionSettings.Topology.CLUSTER));
        assertThat(topology.getValue()).isEqualTo(ConnectionSettings.Topology.CLUSTER);
        assertThat(robot.lookup("#host").queryAs(TextField.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#nodes").queryAs(TextField.class).isDisabled()).isFalse();
        assertThat(robot.lookup("#sentinel-master").queryAs(TextField.class).isDisabled()).isTrue();
        robot.interact(() -> this.model.connection().topologyProperty().set(ConnectionSettings.Topology.SENTINEL));
        assertThat(robot.lookup("#sentinel-master").queryAs(TextField.class).isDisabled()).isFalse();
        robot.clickOn("#tls");
        assertThat(robot.lookup("#tls-ca").query().isDisabled()).isFalse();

        robot.clickOn("Cancel");
        assertThat(this.model.connection().topologyProperty().get()).as("cancel reverts")
                .isEqualTo(ConnectionSettings.Topology.SINGLE);
    }

    @Test
    void anAlertAppearsInTheTableAndResolves(FxRobot robot) {
        this.model.settings().lagThresholdProperty().set(5);
        this.model.settings().fireAfterProperty().set(1);
        this.model.settings().resolveAfterProperty().set(1);
        this.model.settings().intervalMsProperty().set(300);
        this.model.settings().apply();
        robot.clickOn("Alerts");
        await().atMost(TIMEOUT).until(() -> table(robot, "#active-alerts").getItems().stream()
                .anyMatch(item -> item.toString().contains("consumer-lag")));
        await().atMost(TIMEOUT).until(() -> robot.lookup("#active-alerts .table-row-cell.alert-warning").tryQuery().isPresent());

        this.seeded.redis().xgroupSetid(io.lettuce.core.XReadArgs.StreamOffset.from(SeededRedis.PREFIX + "game-events", "$"), "notifications");
        this.seeded.redis().xgroupSetid(io.lettuce.core.XReadArgs.StreamOffset.from(SeededRedis.PREFIX + "schedule-events", "$"), "audit");
        await().atMost(TIMEOUT).until(() -> table(robot, "#active-alerts").getItems().stream()
                .noneMatch(item -> item.toString().contains("consumer-lag")));
        assertThat(table(robot, "#alert-history").getItems()).anySatisfy(item -> assertThat(item.toString()).contains("consumer-lag"));
    }

    @Test
    void shortcutsOpenSearchAndSettingsAndTheThemeSwitches(FxRobot robot) {
        await().atMost(TIMEOUT).until(() -> table(robot, "#streams").getItems().size() == 3);
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        TextField filter = robot.lookup("#stream-filter").queryAs(TextField.class);
        await().atMost(TIMEOUT).until(filter::isFocused);
        assertThat(robot.lookup("#tabs").queryAs(TabPane.class).getSelectionModel().getSelectedIndex()).isEqualTo(1);

        robot.press(KeyCode.CONTROL, KeyCode.COMMA).release(KeyCode.COMMA, KeyCode.CONTROL);
        await().atMost(TIMEOUT).until(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        close(robot, ButtonType.CANCEL);

        ToggleButton dark = robot.lookup("#dark-theme").queryAs(ToggleButton.class);
        robot.interact(dark::fire);
        assertThat(Application.getUserAgentStylesheet()).contains("primer-dark");
        robot.interact(dark::fire);
        assertThat(Application.getUserAgentStylesheet()).contains("primer-light");
    }

    @Test
    void everyAdminActionAsksFirstAndOnlyActsOnOk(FxRobot robot) {
        String key = SeededRedis.PREFIX + "schedule-events";
        await().atMost(TIMEOUT).until(() -> table(robot, "#streams").getItems().size() == 3);
        robot.clickOn("Streams");
        select(robot, "#streams", "schedule-events");
        await().atMost(TIMEOUT).until(() -> table(robot, "#groups").getItems().size() == 1);

        // Trim: cancel keeps every entry, OK trims.
        press(robot, "#trim");
        answer(robot, "25");
        assertThat(confirmationText(robot)).contains("newest 25 entries");
        close(robot, ButtonType.CANCEL);
        assertThat(this.seeded.redis().xlen(key)).isEqualTo(30);
        press(robot, "#trim");
        answer(robot, "25");
        close(robot, ButtonType.OK);
        await().atMost(TIMEOUT).until(() -> this.seeded.redis().xlen(key) == 25);

        // Reset the group to the start.
        select(robot, "#groups", "audit");
        press(robot, "#reset-group");
        answer(robot, "0");
        assertThat(confirmationText(robot)).contains("the start");
        close(robot, ButtonType.OK);
        await().atMost(TIMEOUT).until(() -> this.seeded.redis().xinfoGroups(key).get(0).toString().contains("0-0"));

        // Acknowledge and claim from the Pending tab.
        robot.clickOn("Pending");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(table(robot, "#pending").getItems()).hasSize(5));
        selectFirst(robot, "#pending");
        press(robot, "#ack");
        assertThat(confirmationText(robot)).contains("Acknowledge entry");
        close(robot, ButtonType.OK);
        await().atMost(TIMEOUT).until(() -> this.seeded.redis().xpending(key, "audit").getCount() == 4);
        await().atMost(TIMEOUT).until(() -> table(robot, "#pending").getItems().size() == 4);
        selectFirst(robot, "#pending");
        press(robot, "#claim");
        answer(robot, "rescuer");
        close(robot, ButtonType.OK);
        await().atMost(TIMEOUT).until(() -> this.seeded.redis().xinfoConsumers(key, "audit").toString().contains("rescuer"));

        // Delete consumer: refused, with the reason, while it holds pending entries.
        robot.clickOn("Consumers");
        await().atMost(TIMEOUT).until(() -> table(robot, "#consumers").getItems().size() == 2);
        select(robot, "#consumers", "worker-1");
        press(robot, "#delete-consumer");
        assertThat(confirmationText(robot)).contains("pending");
        close(robot, ButtonType.OK);
        assertThat(this.seeded.redis().xinfoConsumers(key, "audit")).hasSize(2);

        // Replay the dead letters.
        robot.clickOn("Groups");
        select(robot, "#streams", "{schedule-events}.audit.dlq");
        press(robot, "#replay");
        assertThat(confirmationText(robot)).contains("back to the streams they came from");
        close(robot, ButtonType.OK);
        await().atMost(TIMEOUT).until(() -> this.seeded.redis().xlen("{" + SeededRedis.PREFIX + "schedule-events}.audit.dlq") == 0);
    }

    @Test
    void dashboardRendersToANonBlankPng(FxRobot robot) throws Exception {
        await().atMost(TIMEOUT).until(() -> !"–".equals(robot.lookup("#tile-streams").queryAs(Label.class).getText()));
        File file = new File("target/dashboard.png");
        WaitForAsyncUtils.asyncFx(() -> {
            this.view.dashboard().writePng(file);
            return null;
        }).get();
        BufferedImage image = ImageIO.read(file);
        assertThat(image.getWidth()).isEqualTo((int) this.view.dashboard().getWidth());
        assertThat(image.getHeight()).isEqualTo((int) this.view.dashboard().getHeight());
        assertThat(image.getWidth()).isGreaterThan(1000);
        long distinctColours = java.util.stream.IntStream.range(0, image.getWidth() * image.getHeight()).limit(200_000)
                .map(index -> image.getRGB(index % image.getWidth(), index / image.getWidth())).distinct().count();
        assertThat(distinctColours).as("a rendered dashboard, not a blank image").isGreaterThan(10);
    }

    private static void select(FxRobot robot, String tableId, String name) {
        TableView<?> table = table(robot, tableId);
        int index = -1;
        for (int i = 0; i < table.getItems().size(); i++) {
            if (table.getItems().get(i).toString().contains("name=" + name + ",")
                    || table.getItems().get(i).toString().contains("name=" + name + "]")) {
                index = i;
            }
        }
        int row = index;
        robot.interact(() -> table.getSelectionModel().select(row));
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Fires a button as a click would; its dialog opens while this returns (the dialog runs its own event loop). */
    private static void press(FxRobot robot, String id) {
        Button button = robot.lookup(id).queryAs(Button.class);
        Platform.runLater(button::fire);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static void answer(FxRobot robot, String text) {
        DialogPane question = robot.lookup("#question").queryAs(DialogPane.class);
        TextField field = robot.from(question).lookup(".text-field").queryAs(TextField.class);
        robot.interact(() -> field.setText(text));
        Platform.runLater(() -> ((Button) question.lookupButton(ButtonType.OK)).fire());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Closes the open confirmation (or information) dialog with the given button. */
    private static void close(FxRobot robot, ButtonType choice) {
        DialogPane dialog = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        Platform.runLater(() -> ((Button) dialog.lookupButton(choice)).fire());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static void selectFirst(FxRobot robot, String tableId) {
        TableView<?> table = table(robot, tableId);
        robot.interact(() -> table.getSelectionModel().select(0));
    }

    private static String confirmationText(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup(".dialog-pane").queryAll().stream().map(node -> ((DialogPane) node).getContentText())
                .filter(text -> text != null).findFirst().orElse("");
    }

    @SuppressWarnings("unchecked")
    private static TableView<Object> table(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(TableView.class);
    }
}
