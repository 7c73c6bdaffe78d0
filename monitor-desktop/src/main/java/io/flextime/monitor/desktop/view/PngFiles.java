package io.flextime.monitor.desktop.view;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;

import javax.imageio.ImageIO;

import javafx.scene.Node;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;

/**
 * Writes a node as it is drawn now to a PNG file. Copies the pixels by hand because the {@code javafx-swing}
 * bridge ({@code SwingFXUtils}) would add a module for this one call. Must run on the FX thread.
 */
public final class PngFiles {

    private PngFiles() {
    }

    public static void write(Node node, File file) throws IOException {
        WritableImage image = node.snapshot(null, null);
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        BufferedImage buffered = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                buffered.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        ImageIO.write(buffered, "png", file);
    }
}
