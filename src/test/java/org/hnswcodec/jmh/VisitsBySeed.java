package org.hnswcodec.jmh;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.hnswcodec.examples.Recall;
import org.hnswcodec.examples.TexmexFile;
import org.hnswcodec.graph.BeamSearcher;
import org.hnswcodec.graph.GraphBuilder;
import org.hnswcodec.graph.OnHeapGraph;
import org.hnswcodec.graph.VisitedSet;
import org.hnswcodec.testutil.VectorSet;

/**
 * Graph quality, counted rather than timed: the nodes a query scores to reach a given recall@10
 * (interpolated along a sweep of ef), with our graph and with Lucene's {@link HnswGraphBuilder}
 * over the same vectors and the same scorer, for several seeds of the random layer assignment.
 * One build of either format is one draw of its layers, and the draws alone move this count by a
 * few percent; the seeds show that spread and pair the two builders draw by draw.
 *
 * <p>Not a JMH benchmark: nothing here is timed. Run from the repository root:
 *
 * <pre>
 * mvn -q test-compile exec:exec -Dexample.main=org.hnswcodec.jmh.VisitsBySeed \
 *   -Dexample.args="sift 0.95 1 2 3 4 5 6 7 8 42"
 * </pre>
 *
 * <p>Arguments: {@code sift} (the bundled 9,900 SIFT vectors, Euclidean), {@code minilm} (the
 * 700 MiniLM passages, cosine) or {@code files} followed by a base {@code .fvecs}, a queries
 * {@code .fvecs}, their ground truth {@code .ivecs} and a {@link VectorSimilarityFunction} name;
 * then the recall to reach, then the seeds.
 */
public final class VisitsBySeed {

  private static final int K = 10;
  private static final int[] EF_SWEEP = {10, 12, 14, 16, 20, 24, 32, 48, 64, 96};

  private final float[][] base;
  private final float[][] queries;
  private final int[][] truth;
  private final VectorSimilarityFunction similarity;
  private final FlatVectorsScorer flatScorer = FlatVectorScorerUtil.getLucene99FlatVectorsScorer();

  private VisitsBySeed(
      float[][] base, float[][] queries, int[][] truth, VectorSimilarityFunction similarity) {
    this.base = base;
    this.queries = queries;
    this.truth = truth;
    this.similarity = similarity;
  }

  /** A bundled dataset by name. */
  private static VisitsBySeed bundled(String dataset) throws IOException {
    if (dataset.equals("sift")) {
      return new VisitsBySeed(
          VectorSet.siftBase(),
          VectorSet.siftQueries(),
          VectorSet.siftGroundTruth(),
          VectorSimilarityFunction.EUCLIDEAN);
    } else if (dataset.equals("minilm")) {
      Path dir = Path.of("examples", "data", "fiori-docs-minilm384");
      return new VisitsBySeed(
          TexmexFile.readFvecs(dir.resolve("fiori_base.fvecs")),
          TexmexFile.readFvecs(dir.resolve("fiori_query.fvecs")),
          TexmexFile.readIvecs(dir.resolve("fiori_groundtruth.ivecs")),
          VectorSimilarityFunction.COSINE);
    }
    throw new IllegalArgumentException("dataset must be sift, minilm or files; got " + dataset);
  }

  public static void main(String[] args) throws IOException {
    boolean files = args.length > 0 && args[0].equals("files");
    int first = files ? 5 : 1;
    if (args.length < first + 2) {
      throw new IllegalArgumentException(
          "usage: sift|minilm|files <base.fvecs> <queries.fvecs> <truth.ivecs> <similarity>"
              + " <recall> <seed>...");
    }
    VisitsBySeed sweep =
        files
            ? new VisitsBySeed(
                TexmexFile.readFvecs(Path.of(args[1])),
                TexmexFile.readFvecs(Path.of(args[2])),
                TexmexFile.readIvecs(Path.of(args[3])),
                VectorSimilarityFunction.valueOf(args[4]))
            : bundled(args[0]);
    String name = files ? Path.of(args[1]).getFileName().toString() : args[0];
    double target = Double.parseDouble(args[first]);
    double oursTotal = 0;
    double luceneTotal = 0;
    int oursFewer = 0;
    int seeds = args.length - first - 1;
    for (int i = first + 1; i < args.length; i++) {
      long seed = Long.parseLong(args[i]);
      double ours = sweep.visitsAt(target, sweep.oursSearch(seed));
      double lucene = sweep.visitsAt(target, sweep.luceneSearch(seed));
      System.out.printf(
          "seed %-6d ours %6.1f  Lucene %6.1f  ours/Lucene %.3f%n", seed, ours, lucene,
          ours / lucene);
      oursTotal += ours;
      luceneTotal += lucene;
      oursFewer += ours <= lucene ? 1 : 0;
    }
    System.out.printf(
        "%s, nodes scored per query at recall@%d = %.3f, M=%d efConstruction=%d: mean ours %.1f,"
            + " Lucene %.1f (%.3f); ours no more in %d of %d seeds%n",
        name, K, target, SiftIndex.MAX_CONN, SiftIndex.BEAM_WIDTH, oursTotal / seeds,
        luceneTotal / seeds, oursTotal / luceneTotal, oursFewer, seeds);
  }

  /** One graph's searches: fills {@code found} with each query's best K and returns visits. */
  private interface Search {
    long run(int ef, int[][] found) throws IOException;
  }

  private RandomVectorScorerSupplier buildScorers() throws IOException {
    return flatScorer.getRandomVectorScorerSupplier(similarity, values());
  }

  private RandomVectorScorer queryScorer(float[] query) throws IOException {
    return flatScorer.getRandomVectorScorer(similarity, values(), query);
  }

  private FloatVectorValues values() {
    return FloatVectorValues.fromFloats(Arrays.asList(base), base[0].length);
  }

  private Search oursSearch(long seed) throws IOException {
    OnHeapGraph graph =
        new GraphBuilder(
                buildScorers(),
                similarity,
                base.length,
                SiftIndex.MAX_CONN,
                SiftIndex.BEAM_WIDTH,
                seed)
            .build(() -> {});
    return (ef, found) -> {
      int beam = Math.max(K, ef);
      SearchBenchmark.Counter counter = new SearchBenchmark.Counter();
      int maxConn0 = graph.maxConn(0);
      BeamSearcher searcher =
          new BeamSearcher(VisitedSet.forQuery(graph.size(), beam, maxConn0), maxConn0, beam);
      for (int q = 0; q < queries.length; q++) {
        RandomVectorScorer scorer = queryScorer(queries[q]);
        searcher.descend(graph, scorer, 0, counter);
        searcher.searchFromDescent(graph, scorer, 0, beam, null, counter);
        found[q] = new int[Math.min(K, searcher.results().size())];
        for (int i = 0; i < found[q].length; i++) {
          found[q][i] = searcher.results().node(i);
        }
      }
      return counter.visited;
    };
  }

  private Search luceneSearch(long seed) throws IOException {
    OnHeapHnswGraph graph =
        HnswGraphBuilder.create(buildScorers(), SiftIndex.MAX_CONN, SiftIndex.BEAM_WIDTH, seed)
            .build(base.length);
    return (ef, found) -> {
      long visited = 0;
      for (int q = 0; q < queries.length; q++) {
        // Lucene's beam is the collector's k, as when a query asks for max(k, ef) hits
        TopKnnCollector collector = new TopKnnCollector(Math.max(K, ef), Integer.MAX_VALUE);
        HnswGraphSearcher.search(queryScorer(queries[q]), collector, graph, null);
        visited += collector.visitedCount();
        ScoreDoc[] hits = collector.topDocs().scoreDocs;
        Arrays.sort(hits, (a, b) -> Float.compare(b.score, a.score));
        found[q] = new int[Math.min(K, hits.length)];
        for (int i = 0; i < found[q].length; i++) {
          found[q][i] = hits[i].doc;
        }
      }
      return visited;
    };
  }

  /**
   * Nodes scored per query at {@code target} recall, linear between the two ef of the sweep that
   * straddle it; at the first ef if that already reaches it; NaN if no ef of the sweep does.
   */
  private double visitsAt(double target, Search search) throws IOException {
    double previousRecall = Double.NaN;
    double previousVisits = Double.NaN;
    int[][] found = new int[queries.length][];
    for (int ef : EF_SWEEP) {
      double visits = (double) search.run(ef, found) / queries.length;
      double recall = Recall.atK(found, truth, K);
      if (recall >= target) {
        if (Double.isNaN(previousRecall)) {
          return visits;
        }
        double share = (target - previousRecall) / (recall - previousRecall);
        return previousVisits + share * (visits - previousVisits);
      }
      previousRecall = recall;
      previousVisits = visits;
    }
    return Double.NaN;
  }
}
