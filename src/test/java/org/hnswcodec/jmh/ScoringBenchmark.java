package org.hnswcodec.jmh;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;
import org.hnswcodec.scoring.HeapByteScorerSupplier;
import org.hnswcodec.scoring.HeapFloatScorerSupplier;
import org.hnswcodec.testutil.VectorSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to score batches of SIFT base vectors, scattered over all 9,900 of them as an insertion's
 * neighbours are, against one of them, on the heap as a flush holds them, as floats or as bytes:
 * {@link #batched} with {@link HeapFloatScorerSupplier} or {@link HeapByteScorerSupplier} (our
 * kernels, four or eight vectors per pass), {@link #lucene} with the scorer Lucene99's flat format
 * gives a flush (one pair per call).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class ScoringBenchmark {

  private static final int BATCHES = 1024;

  /** Vectors per batch (an insertion's batches on SIFT are 1 to 32, 13 on average). */
  @Param({"13"})
  public int batch;

  /** {@code float}: SIFT as floats; {@code byte}: shifted into signed bytes. */
  @Param({"float", "byte"})
  public String encoding;

  private UpdateableRandomVectorScorer batched;
  private UpdateableRandomVectorScorer lucene;
  private int[][] nodes;
  private float[] scores;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    float[][] base = VectorSet.siftBase();
    boolean bytes = encoding.equals("byte");
    RandomVectorScorerSupplier ours =
        bytes ? SiftIndex.flushScorers(SiftIndex.asBytes(base)) : SiftIndex.flushScorers(base);
    if (ours instanceof HeapFloatScorerSupplier == false
        && ours instanceof HeapByteScorerSupplier == false) {
      throw new IllegalStateException("batched kernels unavailable in this JVM: " + ours);
    }
    batched = ours.scorer();
    lucene =
        (bytes ? SiftIndex.luceneScorers(SiftIndex.asBytes(base)) : SiftIndex.luceneScorers(base))
            .scorer();
    batched.setScoringOrdinal(0);
    lucene.setScoringOrdinal(0);
    Random random = new Random(42);
    nodes = new int[BATCHES][batch];
    for (int[] b : nodes) {
      for (int i = 0; i < batch; i++) {
        b[i] = random.nextInt(base.length);
      }
    }
    scores = new float[batch];
  }

  @Benchmark
  @OperationsPerInvocation(BATCHES)
  public float batched() throws IOException {
    return scoreAll(batched);
  }

  @Benchmark
  @OperationsPerInvocation(BATCHES)
  public float lucene() throws IOException {
    return scoreAll(lucene);
  }

  /** Scores every batch; JMH divides by the batches, the README by the batch size. */
  private float scoreAll(UpdateableRandomVectorScorer scorer) throws IOException {
    float sum = 0;
    for (int[] b : nodes) {
      sum += scorer.bulkScore(b, scores, batch);
    }
    return sum;
  }
}
