package io.flextime.monitor.desktop.connection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * The monitor's files in the user's config directory ({@code $XDG_CONFIG_HOME/flextime-monitor}, else
 * {@code ~/.config/flextime-monitor}): saved connection profiles and alert settings, as JSON.
 */
public final class ConfigFiles {

    private final Path directory;

    private final JsonMapper json = JsonMapper.builder().build();

    public ConfigFiles(Path directory) {
        this.directory = directory;
    }

    public static ConfigFiles forUser(Map<String, String> environment) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new ConfigFiles(base.resolve("flextime-monitor"));
    }

    public <T> T read(String name, Class<T> type, T fallback) {
        Path file = this.directory.resolve(name);
        if (!Files.exists(file)) {
            return fallback;
        }
        try {
            return this.json.readValue(file.toFile(), type);
        }
        catch (RuntimeException ex) {
            return fallback;
        }
    }

    public void write(String name, Object value) {
        try {
            Files.createDirectories(this.directory);
            Path file = this.directory.resolve(name);
            this.json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write " + name + " in " + this.directory, ex);
        }
    }

    public Path directory() {
        return this.directory;
    }
}
