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
 * GraphBuilder} and our batched scorers (what a flush of {@code n} vectors spends on its graph),
 * {@link #hnswCodecLuceneScorers} with our builder and the scorers Lucene99's flat format gives a
 * flush (the algorithm alone), {@link #lucene} with Lucene's {@link HnswGraphBuilder} and those
 * scorers (what Lucene99's flush spends).
 *
 * <p>Lucene's builder appears here only as a yardstick; the codec never uses it.
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

  /** {@code float}: SIFT as floats; {@code byte}: shifted into signed bytes. */
  @Param({"float", "byte"})
  public String encoding;

  private RandomVectorScorerSupplier ours;
  private RandomVectorScorerSupplier lucenes;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    float[][] base = VectorSet.siftBase();
    if (n < 1 || n > base.length) {
      throw new IllegalArgumentException("n must be in [1, " + base.length + "]; got " + n);
    }
    float[][] vectors = Arrays.copyOf(base, n);
    if (encoding.equals("byte")) {
      byte[][] bytes = SiftIndex.asBytes(vectors);
      ours = SiftIndex.flushScorers(bytes);
      lucenes = SiftIndex.luceneScorers(bytes);
    } else {
      ours = SiftIndex.flushScorers(vectors);
      lucenes = SiftIndex.luceneScorers(vectors);
    }
  }

  @Benchmark
  public OnHeapGraph hnswCodec() throws IOException {
    return new GraphBuilder(
            ours, SiftIndex.SIMILARITY, n, SiftIndex.MAX_CONN, SiftIndex.BEAM_WIDTH, SiftIndex.SEED)
        .build(() -> {});
  }

  @Benchmark
  public OnHeapGraph hnswCodecLuceneScorers() throws IOException {
    return new GraphBuilder(
            lucenes, SiftIndex.SIMILARITY, n, SiftIndex.MAX_CONN, SiftIndex.BEAM_WIDTH, SiftIndex.SEED)
        .build(() -> {});
  }

  @Benchmark
  public OnHeapHnswGraph lucene() throws IOException {
    return HnswGraphBuilder.create(
            lucenes, SiftIndex.MAX_CONN, SiftIndex.BEAM_WIDTH, SiftIndex.SEED, n)
        .build(n);
  }
}
