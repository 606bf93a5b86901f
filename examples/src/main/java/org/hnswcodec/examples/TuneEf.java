package org.hnswcodec.examples;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.hnswcodec.codec.HnswCodec;
import org.hnswcodec.search.EfKnnFloatVectorQuery;

/**
 * How the search-time beam width ef trades recall for time. The example indexes the bundled SIFT
 * descriptors (9,900 base vectors, 128 dimensions, EUCLIDEAN; see {@code examples/data/README.md})
 * once with {@link HnswCodec}'s defaults, then searches the 100 queries for their 10 nearest
 * neighbours at several values of ef with {@link EfKnnFloatVectorQuery}, and prints recall@10
 * against the exact ground truth next to the mean wall-clock and CPU time per query.
 *
 * <p>This is an example, not a benchmark: it times a few hundred searches in one JVM, right after
 * indexing, on whatever else the machine is doing. Read the latencies as relative to each other.
 * Raising ef never changes the index, so one index serves every row of the table.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -q -o test-compile exec:exec -Dexample.main=org.hnswcodec.examples.TuneEf
 * </pre>
 *
 * <p>Optional arguments replace the default ef values, e.g. {@code -Dexample.args="10 20 40"}.
 */
public final class TuneEf {

  private static final String DATA = "bigann10k/";
  private static final int[] DEFAULT_EFS = {10, 16, 32, 64, 128, 256};
  private static final int K = 10;
  // Untimed passes over every ef first, so that class loading and JIT compilation are not timed.
  private static final int WARMUP_ROUNDS = 3;
  // Each ef's queries run this many times, so that the means cover more than a few milliseconds.
  private static final int TIMED_ROUNDS = 5;

  private TuneEf() {}

  /** Runs the example; see the class documentation for the optional arguments. */
  public static void main(String[] args) throws IOException {
    float[][] base = TexmexFile.readFvecs(ExampleData.file(DATA + "bigann10k_disjoint_base.fvecs"));
    float[][] queries = TexmexFile.readFvecs(ExampleData.file(DATA + "bigann10k_query.fvecs"));
    int[][] groundTruth =
        TexmexFile.readIvecs(ExampleData.file(DATA + "bigann10k_disjoint_groundtruth.ivecs"));
    int[] efs =
        args.length == 0 ? DEFAULT_EFS : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();

    try (Directory dir = new ByteBuffersDirectory()) {
      long start = System.nanoTime();
      index(dir, base);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        System.out.printf(
            "Indexed %d vectors of %d dimensions (%d segment(s)) in %.1f s%n",
            reader.numDocs(),
            base[0].length,
            reader.leaves().size(),
            (System.nanoTime() - start) / 1e9);
        IndexSearcher searcher = new IndexSearcher(reader);
        for (int round = 0; round < WARMUP_ROUNDS; round++) {
          for (int ef : efs) {
            searchAll(searcher, queries, ef);
          }
        }
        printTable(searcher, queries, groundTruth, efs);
      }
    }
  }

  private static void printTable(
      IndexSearcher searcher, float[][] queries, int[][] groundTruth, int[] efs)
      throws IOException {
    System.out.printf(
        "%n%d queries, k=%d; times are means per query over %d rounds.%n"
            + "An example, not a benchmark: expect the times to vary from run to run.%n%n",
        queries.length, K, TIMED_ROUNDS);
    System.out.println("    ef   recall@10   wall ms/query   CPU ms/query");
    // Wall-clock time is the latency a user sees, but it grows whenever other programs share the
    // cores; the searching thread's CPU time does not, so it is printed alongside.
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int ef : efs) {
      TopDocs[] results = null;
      long wallStart = System.nanoTime();
      long cpuStart = threads.getCurrentThreadCpuTime();
      for (int round = 0; round < TIMED_ROUNDS; round++) {
        results = searchAll(searcher, queries, ef);
      }
      double searches = (double) TIMED_ROUNDS * queries.length;
      double wallMs = (System.nanoTime() - wallStart) / 1e6 / searches;
      double cpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6 / searches;
      double recall = Recall.atK(rowsOf(searcher, results), groundTruth, K);
      System.out.printf("  %4d      %.3f         %.3f           %.3f%n", ef, recall, wallMs, cpuMs);
    }
  }

  private static void index(Directory dir, float[][] vectors) throws IOException {
    // A buffer large enough for every vector gives one segment, hence one graph, so that ef is the
    // beam width of the whole search rather than of each of several segments.
    IndexWriterConfig config =
        new IndexWriterConfig().setCodec(new HnswCodec()).setRAMBufferSizeMB(256);
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      for (int row = 0; row < vectors.length; row++) {
        Document doc = new Document();
        RowField.add(doc, row);
        doc.add(
            new KnnFloatVectorField("vector", vectors[row], VectorSimilarityFunction.EUCLIDEAN));
        writer.addDocument(doc);
      }
    }
  }

  private static TopDocs[] searchAll(IndexSearcher searcher, float[][] queries, int ef)
      throws IOException {
    TopDocs[] results = new TopDocs[queries.length];
    for (int q = 0; q < queries.length; q++) {
      results[q] = searcher.search(new EfKnnFloatVectorQuery("vector", queries[q], K, ef), K);
    }
    return results;
  }

  private static int[][] rowsOf(IndexSearcher searcher, TopDocs[] results) throws IOException {
    int[][] rows = new int[results.length][];
    for (int q = 0; q < results.length; q++) {
      rows[q] = RowField.rowsOf(searcher, results[q].scoreDocs);
    }
    return rows;
  }
}
