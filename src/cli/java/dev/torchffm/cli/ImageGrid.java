package dev.torchffm.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** A row-wrapped grid of 28x28 grey images, each titled with its true and predicted class (as d2l's show_images). */
final class ImageGrid {
    private static final int SCALE = 4;
    private static final int PER_ROW = 8;
    private static final int TITLE = 34;
    private static final int PAD = 8;

    private ImageGrid() {}

    /** {@code pixels[i]} holds 28*28 values in [0, 1]; PNG or JPEG by the file's extension. */
    static void write(float[][] pixels, List<String> truth, List<String> predicted, Path file) {
        int n = pixels.length;
        int cell = 28 * SCALE;
        int cols = Math.min(n, PER_ROW);
        int rows = (n + PER_ROW - 1) / PER_ROW;
        int w = cols * (cell + PAD) + PAD;
        int h = rows * (cell + TITLE + PAD) + PAD;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < n; i++) {
            int x0 = PAD + (i % PER_ROW) * (cell + PAD);
            int y0 = PAD + (i / PER_ROW) * (cell + TITLE + PAD);
            boolean right = truth.get(i).equals(predicted.get(i));
            g.setColor(Color.DARK_GRAY);
            g.drawString(truth.get(i), x0 + (cell - fm.stringWidth(truth.get(i))) / 2, y0 + 12);
            g.setColor(right ? new Color(0, 120, 0) : new Color(190, 0, 0));
            g.drawString(predicted.get(i), x0 + (cell - fm.stringWidth(predicted.get(i))) / 2, y0 + 28);
            for (int p = 0; p < 28 * 28; p++) {
                int v = 255 - Math.round(Math.max(0, Math.min(1, pixels[i][p])) * 255);
                g.setColor(new Color(v, v, v));
                g.fillRect(x0 + (p % 28) * SCALE, y0 + TITLE + (p / 28) * SCALE, SCALE, SCALE);
            }
        }
        g.dispose();
        try {
            ImageIO.write(img, OutputFile.imageType(file), file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + OutputFile.reason(e), e);
        }
    }
}
