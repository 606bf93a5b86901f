package org.hnswcodec.jmh;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.hnswcodec.graph.GraphBuilder;
import org.hnswcodec.graph.OnHeapGraph;
import org.hnswcodec.testutil.VectorSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to build a graph by inserting the first {@code n} bundled SIFT base vectors one by one, with
 * M=16 and efConstruction=100, on the heap and on one thread: {@link #hnswCodec} with our {@link
 * GraphBuilder} (what a flush of {@code n} vectors spends on its graph), {@link #lucene} with
 * Lucene's {@link HnswGraphBuilder} for comparison.
 *
 * <p>Lucene's builder appears here only as a yardstick; the codec never uses it. Both builders
 * score with the same scorers, those of Lucene99's flat format, which the codec writes its vectors
 * with.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class InsertionBenchmark {

  /** How many vectors to insert, at most the 9,900 bundled. */
  @Param({"2000"})
  public int n;

  private RandomVectorScorerSupplier scorers;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    float[][] base = VectorSet.siftBase();
    if (n < 1 || n > base.length) {
      throw new IllegalArgumentException("n must be in [1, " + base.length + "]; got " + n);
    }
    scorers = SiftIndex.scorers(Arrays.copyOf(base, n));
  }

  @Benchmark
  public OnHeapGraph hnswCodec() throws IOException {
    return new GraphBuilder(scorers, n, SiftIndex.MAX_CONN, SiftIndex.BEAM_WIDTH, SiftIndex.SEED)
        .build(() -> {});
  }

  @Benchmark
  public OnHeapHnswGraph lucene() throws IOException {
    return HnswGraphBuilder.create(
            scorers, SiftIndex.MAX_CONN, SiftIndex.BEAM_WIDTH, SiftIndex.SEED, n)
        .build(n);
  }
}
