package io.flextime.monitor.desktop.connection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Predicate;

import tools.jackson.databind.json.JsonMapper;

/**
 * The monitor's files in the user's config directory ({@code $XDG_CONFIG_HOME/flextime-monitor}, else
 * {@code ~/.config/flextime-monitor}): saved connection profiles and alert settings, as JSON.
 */
public final class ConfigFiles {

    private static final System.Logger LOGGER = System.getLogger(ConfigFiles.class.getName());

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

    /**
     * The file's content, or {@code fallback} when there is none. A file that does not parse, holds {@code null},
     * or holds something {@code valid} refuses (a hand edit gone wrong: an interval of 0 would poll Redis in a
     * tight loop) is moved aside and the fallback used.
     */
    public <T> T read(String name, Class<T> type, T fallback, Predicate<T> valid) {
        Path file = this.directory.resolve(name);
        if (!Files.exists(file)) {
            return fallback;
        }
        try {
            T value = this.json.readValue(file.toFile(), type);
            if (value == null || !valid.test(value)) {
                throw new IllegalArgumentException("its content is empty or out of range");
            }
            return value;
        }
        catch (RuntimeException ex) {
            // Kept aside rather than overwritten by the next save, so a hand-edited file is never lost.
            Path aside = file.resolveSibling(name + ".unreadable");
            LOGGER.log(System.Logger.Level.WARNING, "Cannot use " + file + " (" + ex.getMessage() + "); moved to " + aside
                    + ", using the defaults");
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (IOException moveFailure) {
                LOGGER.log(System.Logger.Level.WARNING, "Could not move " + file + " aside: " + moveFailure.getMessage());
            }
            return fallback;
        }
    }

    /**
     * Writes through a temporary file that is owner-only from its creation (on POSIX file systems) and then moved
     * into place, so a saved password is never readable by others, not even for a moment.
     */
    public void write(String name, Object value) {
        try {
            Files.createDirectories(this.directory);
            Path file = this.directory.resolve(name);
            Path temporary = ownerOnly(this.directory, name);
            this.json.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), value);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write " + name + " in " + this.directory, ex);
        }
    }

    private static Path ownerOnly(Path directory, String name) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(directory, name, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(directory, name, ".tmp");
    }

}
