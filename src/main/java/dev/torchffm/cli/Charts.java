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
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The chapter's training plot: train loss, train accuracy and test accuracy per epoch, as a PNG. */
final class Charts {
    private Charts() {}

    static void writeTrainingPlot(List<EpochStats> history, String title, Path file) {
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
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", null, data, PlotOrientation.VERTICAL, true,
                false, false);
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
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, 720, 450);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
