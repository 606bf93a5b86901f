package org.hnswcodec.tool;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.apache.lucene.util.IORunnable;

/**
 * Wall-clock and CPU time of a piece of work. The CPU time is the whole process's, so that work
 * Lucene hands to other threads (merges) counts; so do the JIT compiler and the garbage collector.
 *
 * @param wallSeconds elapsed time
 * @param cpuSeconds CPU time of all the process's threads, NaN where the JVM cannot tell
 */
record Timing(double wallSeconds, double cpuSeconds) {

  /** No work done. */
  static final Timing NONE = new Timing(Double.NaN, Double.NaN);

  static Timing measure(IORunnable work) throws IOException {
    long cpuStart = processCpuNanos();
    long wallStart = System.nanoTime();
    work.run();
    long wall = System.nanoTime() - wallStart;
    long cpu = processCpuNanos() - cpuStart;
    return new Timing(wall / 1e9, cpuStart < 0 ? Double.NaN : cpu / 1e9);
  }

  /** The median wall time and the median CPU time of one or more timings. */
  static Timing median(List<Timing> timings) {
    double[] wall = timings.stream().mapToDouble(Timing::wallSeconds).toArray();
    double[] cpu = timings.stream().mapToDouble(Timing::cpuSeconds).toArray();
    return new Timing(Percentiles.median(wall), Percentiles.median(cpu));
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
