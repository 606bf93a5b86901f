package org.hnswcodec.tool;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** Reads a format's recall-vs-QPS curve at a given recall. */
final class RecallCurve {

  private RecallCurve() {}

  /**
   * A throughput at {@code target} recall, interpolated linearly between the two points (in ef
   * order) where recall first reaches the target, or NaN when the curve does not cross it: every
   * point is already at or above it, or none reaches it.
   *
   * @param points one format's points, ef ascending
   * @param qps the throughput of a point: wall-clock or CPU QPS
   */
  static double qpsAt(
      List<SearchSweep.Point> points, ToDoubleFunction<SearchSweep.Point> qps, double target) {
    for (int i = 1; i < points.size(); i++) {
      SearchSweep.Point below = points.get(i - 1);
      SearchSweep.Point above = points.get(i);
      if (below.recall() < target && above.recall() >= target) {
        double t = (target - below.recall()) / (above.recall() - below.recall());
        double from = qps.applyAsDouble(below);
        return from + t * (qps.applyAsDouble(above) - from);
      }
    }
    return Double.NaN;
  }

  /** Why {@link #qpsAt} gave NaN, for the report. */
  static String whyNot(List<SearchSweep.Point> points, double target) {
    return points.getFirst().recall() >= target
        ? "recall is above " + target + " at every ef"
        : "recall never reaches " + target;
  }
}
