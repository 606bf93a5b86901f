package org.hnswcodec.tool;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.Weight;
import org.hnswcodec.examples.Recall;

/**
 * Sweeps ef over the indexes of both formats: warm-up rounds, then timed rounds in which every ef
 * runs all queries on each format in turn (the order flipping from one ef and round to the next, so
 * that neither format always runs first), then a separate untimed pass that counts the nodes each
 * search visits. Within a round, each format runs the query set {@code passes} times at each ef:
 * a single pass over a hundred queries lasts a few milliseconds, short enough for one garbage
 * collection or a neighbour's burst on a shared machine to skew it.
 */
final class SearchSweep {

  /** One format's index, searched on the calling thread. */
  record Target(BenchFormat format, IndexSearcher searcher, RowMap rows) {}

  /**
   * One format at one ef.
   *
   * @param recall mean recall@k over the queries
   * @param qpsPerRound queries per second of each timed round
   * @param qps the median of {@code qpsPerRound}
   * @param cpuQpsPerRound queries per second of the searching thread's CPU time, each round: unlike
   *     wall time, it leaves out the time other processes hold the CPU (though not their effect on
   *     shared caches)
   * @param cpuQps the median of {@code cpuQpsPerRound}
   * @param p50Ms median latency over every query of every round
   * @param p99Ms 99th percentile latency over every query of every round
   * @param visited mean nodes visited (vectors scored) per query, over all segments
   */
  record Point(
      BenchFormat format,
      int ef,
      double recall,
      double[] qpsPerRound,
      double qps,
      double[] cpuQpsPerRound,
      double cpuQps,
      double p50Ms,
      double p99Ms,
      double visited) {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final String field;
  private final List<VectorRecord> queries;
  private final int[][] truth;
  private final int k;
  private final int[] efs;
  private final int passes;
  private final Query filter;
  private final int filteredSearchThreshold;

  /**
   * @param passes how many times a round runs the query set per format and ef
   * @param filter the documents every search is restricted to, or null for all
   * @param filteredSearchThreshold the threshold of the queries' {@code KnnSearchStrategy.Hnsw}
   */
  SearchSweep(
      String field,
      List<VectorRecord> queries,
      int[][] truth,
      int k,
      int[] efs,
      int passes,
      Query filter,
      int filteredSearchThreshold) {
    this.field = field;
    this.queries = queries;
    this.truth = truth;
    this.k = k;
    this.efs = efs;
    this.passes = passes;
    this.filter = filter;
    this.filteredSearchThreshold = filteredSearchThreshold;
  }

  /**
   * Runs the sweep and returns its points, per target in the given order, ef ascending.
   *
   * @param log where progress lines go
   */
  List<Point> run(List<Target> targets, int warmupRounds, int rounds, PrintWriter log)
      throws IOException {
    int n = queries.size() * passes;
    for (int round = 0; round < warmupRounds; round++) {
      log.printf("search warm-up round %d of %d%n", round + 1, warmupRounds);
      for (int e = 0; e < efs.length; e++) {
        for (Target target : inTurn(targets, round + e)) {
          runQueries(target, efs[e], new double[n], new TopDocs[n]);
        }
      }
    }
    // [target][ef][round * n + query]
    double[][][] millis = new double[targets.size()][efs.length][rounds * n];
    double[][][] qps = new double[targets.size()][efs.length][rounds];
    double[][][] cpuQps = new double[targets.size()][efs.length][rounds];
    double[][] recall = new double[targets.size()][efs.length];
    double[] roundMillis = new double[n];
    TopDocs[] results = new TopDocs[n];
    for (int round = 0; round < rounds; round++) {
      log.printf("search round %d of %d%n", round + 1, rounds);
      for (int e = 0; e < efs.length; e++) {
        for (Target target : inTurn(targets, round + e)) {
          int t = targets.indexOf(target);
          long cpuStart = THREADS.getCurrentThreadCpuTime();
          runQueries(target, efs[e], roundMillis, results);
          long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
          double total = 0;
          for (int q = 0; q < n; q++) {
            total += roundMillis[q];
          }
          System.arraycopy(roundMillis, 0, millis[t][e], round * n, n);
          qps[t][e][round] = n / (total / 1000);
          cpuQps[t][e][round] = cpuStart < 0 ? Double.NaN : n / (cpuNanos / 1e9);
          if (round == 0) {
            recall[t][e] = meanRecall(target, results);
          }
        }
      }
    }
    log.println("counting visited nodes");
    List<Point> points = new ArrayList<>();
    for (int t = 0; t < targets.size(); t++) {
      Target target = targets.get(t);
      for (int e = 0; e < efs.length; e++) {
        points.add(
            new Point(
                target.format(),
                efs[e],
                recall[t][e],
                qps[t][e],
                Percentiles.median(qps[t][e]),
                cpuQps[t][e],
                Percentiles.median(cpuQps[t][e]),
                Percentiles.of(millis[t][e], 50),
                Percentiles.of(millis[t][e], 99),
                meanVisited(target, efs[e])));
      }
    }
    return points;
  }

  /** The targets in their order on even turns, reversed on odd ones. */
  private static List<Target> inTurn(List<Target> targets, int turn) {
    return turn % 2 == 0 ? targets : targets.reversed();
  }

  /**
   * Runs every query {@link #passes} times, timing each (query construction included); results
   * holds each search's hits, pass after pass.
   */
  private void runQueries(Target target, int ef, double[] millis, TopDocs[] results)
      throws IOException {
    int i = 0;
    for (int pass = 0; pass < passes; pass++) {
      for (VectorRecord query : queries) {
        long start = System.nanoTime();
        results[i] =
            target
                .searcher()
                .search(
                    target
                        .format()
                        .query(field, query.vector(), k, ef, filter, filteredSearchThreshold),
                    k);
        millis[i++] = (System.nanoTime() - start) / 1e6;
      }
    }
  }

  /** Mean recall of the first pass's results: every pass finds the same. */
  private double meanRecall(Target target, TopDocs[] results) {
    double sum = 0;
    for (int q = 0; q < queries.size(); q++) {
      long[] rows = target.rows().rowsOf(results[q].scoreDocs);
      sum += Recall.atK(rows, truth[(int) queries.get(q).row()], k);
    }
    return sum / queries.size();
  }

  /**
   * Searches every segment directly with a fresh collector and sums what it visited. With a filter
   * each segment is searched as Lucene's query searches it: its accepted documents scored outright
   * if there are no more than k, else a graph search limited to visiting as many nodes as there are
   * accepted documents (plus one), followed, if it reaches that limit, by scoring them all.
   */
  private double meanVisited(Target target, int ef) throws IOException {
    IndexSearcher searcher = target.searcher();
    Weight filterWeight =
        filter == null
            ? null
            : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    long visited = 0;
    for (VectorRecord query : queries) {
      for (LeafReaderContext context : searcher.getIndexReader().leaves()) {
        LeafReader leaf = context.reader();
        if (filterWeight == null) {
          TopKnnCollector collector =
              target
                  .format()
                  .visitCountingCollector(k, ef, Integer.MAX_VALUE, filteredSearchThreshold);
          leaf.searchNearestVectors(
              field,
              query.vector(),
              collector,
              AcceptDocs.fromLiveDocs(leaf.getLiveDocs(), leaf.maxDoc()));
          visited += collector.visitedCount();
          continue;
        }
        AcceptDocs accepted =
            AcceptDocs.fromIteratorSupplier(
                () -> {
                  Scorer scorer = filterWeight.scorer(context);
                  return scorer == null ? DocIdSetIterator.empty() : scorer.iterator();
                },
                leaf.getLiveDocs(),
                leaf.maxDoc());
        int cost = accepted.cost();
        if (cost <= k) {
          visited += cost;
          continue;
        }
        TopKnnCollector collector =
            target.format().visitCountingCollector(k, ef, cost + 1, filteredSearchThreshold);
        leaf.searchNearestVectors(field, query.vector(), collector, accepted);
        visited += collector.visitedCount() + (collector.earlyTerminated() ? cost : 0);
      }
    }
    return (double) visited / queries.size();
  }
}
