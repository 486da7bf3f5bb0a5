package dev.torchffm.cli;

import dev.torchffm.train.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The chapter's training plot: train loss, train accuracy and test accuracy per epoch. */
final class Charts {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 450;

    private Charts() {}

    /** Writes the plot as PNG or JPEG, by {@code file}'s extension (see {@link OutputFile#requireImage}). */
    static void writeTrainingPlot(List<EpochStats> history, String title, Path file) {
        JFreeChart chart = trainingChart(history, title);
        try {
            if (OutputFile.imageType(file).equals("jpeg")) {
                ChartUtils.saveChartAsJPEG(file.toFile(), chart, WIDTH, HEIGHT);
            } else {
                ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + OutputFile.reason(e), e);
        }
    }

    static JFreeChart trainingChart(List<EpochStats> history, String title) {
        XYSeries loss = new XYSeries("train loss");
        XYSeries trainAcc = new XYSeries("train acc");
        XYSeries testAcc = new XYSeries("test acc");
        for (EpochStats s : history) {
            loss.add(s.epoch(), s.loss());
            trainAcc.add(s.epoch(), s.trainAcc());
            testAcc.add(s.epoch(), s.testAcc());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(loss);
        data.addSeries(trainAcc);
        data.addSeries(testAcc);
        JFreeChart chart = ChartFactory.createXYLineChart(
                title, "epoch", null, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        Color[] colors = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44)};
        for (int i = 0; i < colors.length; i++) {
            renderer.setSeriesPaint(i, colors[i]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        // Epochs are whole numbers: without this, a short run gets ticks at 1.25, 1.5, ...
        plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return chart;
    }
}
