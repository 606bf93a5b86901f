package org.hnswcodec.tool;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The threads both formats may build one graph with: {@code count} workers, of which all but the
 * calling thread run on {@code pool} (null for one worker).
 */
record BuildWorkers(int count, ExecutorService pool) implements AutoCloseable {

  static BuildWorkers of(int count) {
    return new BuildWorkers(count, count == 1 ? null : Executors.newFixedThreadPool(count - 1));
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
      try {
        pool.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
