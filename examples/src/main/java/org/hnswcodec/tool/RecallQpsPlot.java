package org.hnswcodec.tool;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.XYItemLabelGenerator;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the recall-vs-QPS curves of the bench's formats into a PNG, one point per ef: wall-clock
 * QPS above, CPU QPS below, on a shared recall axis.
 */
final class RecallQpsPlot {

  private static final Color[] COLORS = {new Color(0xD62728), new Color(0x1F77B4)};
  private static final Shape[] SHAPES = {
    new Rectangle2D.Double(-3.5, -3.5, 7, 7), new Ellipse2D.Double(-3.5, -3.5, 7, 7)
  };

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
    NumberAxis recallAxis = new NumberAxis("recall@" + k);
    recallAxis.setAutoRangeIncludesZero(false);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(recallAxis);
    plot.setGap(12);
    plot.add(
        panel(curves, SearchSweep.Point::qps, "QPS (wall clock, one thread)", targetRecall, true),
        1);
    plot.add(
        panel(
            curves,
            SearchSweep.Point::cpuQps,
            "QPS per CPU second of the thread",
            targetRecall,
            false),
        1);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 900);
  }

  private static XYPlot panel(
      Map<BenchFormat, List<SearchSweep.Point>> curves,
      ToDoubleFunction<SearchSweep.Point> qps,
      String label,
      double targetRecall,
      boolean inLegend) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<BenchFormat, List<SearchSweep.Point>> curve : curves.entrySet()) {
      // Unsorted and with duplicates allowed: the points stay in ef order, as the sweep ran them.
      XYSeries series = new XYSeries(curve.getKey().toString(), false, true);
      for (SearchSweep.Point point : curve.getValue()) {
        series.add(point.recall(), qps.applyAsDouble(point));
      }
      data.addSeries(series);
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      renderer.setSeriesPaint(s, COLORS[s % COLORS.length]);
      renderer.setSeriesStroke(s, new BasicStroke(2f));
      renderer.setSeriesShape(s, SHAPES[s % SHAPES.length]);
    }
    // Both panels show the same formats in the same colours: one legend is enough.
    renderer.setDefaultSeriesVisibleInLegend(inLegend);
    List<List<SearchSweep.Point>> byIndex = List.copyOf(curves.values());
    XYItemLabelGenerator efLabels =
        (dataset, series, item) -> "ef " + byIndex.get(series).get(item).ef();
    renderer.setDefaultItemLabelGenerator(efLabels);
    renderer.setDefaultItemLabelsVisible(true);
    XYPlot plot = new XYPlot(data, null, new NumberAxis(label), renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ValueMarker target = new ValueMarker(targetRecall, Color.GRAY, new BasicStroke(1f));
    target.setLabel("recall " + targetRecall);
    plot.addDomainMarker(target);
    return plot;
  }
}
