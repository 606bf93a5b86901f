package org.hnswcodec.tool;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.XYItemLabelGenerator;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws the recall-vs-QPS curves of the bench's formats into a PNG, one point per ef. */
final class RecallQpsPlot {

  private static final Color[] COLORS = {new Color(0xD62728), new Color(0x1F77B4)};

  private RecallQpsPlot() {}

  /**
   * @param curves per format, its points in ef order
   * @param targetRecall drawn as a vertical line
   */
  static void write(
      Path png,
      String title,
      Map<BenchFormat, List<SearchSweep.Point>> curves,
      int k,
      double targetRecall)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<BenchFormat, List<SearchSweep.Point>> curve : curves.entrySet()) {
      // Unsorted and with duplicates allowed: the points stay in ef order, as the sweep ran them.
      XYSeries series = new XYSeries(curve.getKey().toString(), false, true);
      for (SearchSweep.Point point : curve.getValue()) {
        series.add(point.recall(), point.qps());
      }
      data.addSeries(series);
    }
    NumberAxis recallAxis = new NumberAxis("recall@" + k);
    recallAxis.setAutoRangeIncludesZero(false);
    LogAxis qpsAxis = new LogAxis("queries per second (median of rounds, one thread, log scale)");
    qpsAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      renderer.setSeriesPaint(s, COLORS[s % COLORS.length]);
      renderer.setSeriesStroke(s, new BasicStroke(2f));
    }
    List<List<SearchSweep.Point>> byIndex = List.copyOf(curves.values());
    XYItemLabelGenerator efLabels =
        (dataset, series, item) -> "ef " + byIndex.get(series).get(item).ef();
    renderer.setDefaultItemLabelGenerator(efLabels);
    renderer.setDefaultItemLabelsVisible(true);
    XYPlot plot = new XYPlot(data, recallAxis, qpsAxis, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ValueMarker target = new ValueMarker(targetRecall, Color.GRAY, new BasicStroke(1f));
    target.setLabel("recall " + targetRecall);
    plot.addDomainMarker(target);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 650);
  }
}
