package org.hnswcodec.tool;

import java.util.Arrays;

/** Percentiles of a sample by the nearest-rank method. */
final class Percentiles {

  private Percentiles() {}

  /**
   * The smallest value with at least {@code p} percent of the sample at or below it.
   *
   * @param values the sample, not empty; not modified
   * @param p in (0, 100]
   */
  static double of(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
