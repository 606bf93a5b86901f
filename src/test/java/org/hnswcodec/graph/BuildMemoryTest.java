package org.hnswcodec.graph;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.RamUsageTester;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.hnswcodec.testutil.VectorSet;

/**
 * Building a graph holds the graph and little else: besides the graph itself, a build on one thread
 * allocates three ints per node (the inserter's visited set, the list of nodes to insert and the
 * reachability pass's queue), two more when pruning cut a node off (the in-degree counts and the
 * visited set of the search that links it back), a bit per node, a fixed amount for its buffers,
 * and nothing per insertion. The vectors are the caller's.
 */
public class BuildMemoryTest extends LuceneTestCase {

  private static final int DIMENSION = 8;
  private static final int MAX_CONN = 8;

  /**
   * Most bytes per node a build of {@link #SIZE} nodes may allocate besides the graph: the five
   * ints, and one for the bit per node and the fixed part.
   */
  private static final int EXCESS_PER_NODE = 6 * Integer.BYTES;

  private static final int SIZE = 30_000;

  public void testABuildAllocatesTheGraphAndAFewIntsPerNode() throws IOException {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(
        "the JVM measures what a thread allocates",
        threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    for (int i = 0; i < 2; i++) {
      excessBytes(threads, 5_000); // warms the JIT, whose early code allocates what later does not
    }
    double perNode = excessBytes(threads, SIZE) / (double) SIZE;
    // measured: 20.6-20.8 when a node was cut off, 8.5 when none was; an int[1] allocated per
    // insertion made it 44.7
    assertTrue(
        "bytes allocated per node besides the graph: " + perNode, perNode <= EXCESS_PER_NODE);
  }

  /** What building a graph over {@code size} clustered vectors allocates beyond the graph. */
  private static long excessBytes(ThreadMXBean threads, int size) throws IOException {
    float[][] vectors = VectorSet.clustered(random(), size, DIMENSION, 6);
    VectorSimilarityFunction l2 = VectorSimilarityFunction.EUCLIDEAN;
    RandomVectorScorerSupplier scorers = GraphTestSupport.scorers(vectors, l2);
    long before = threads.getCurrentThreadAllocatedBytes();
    OnHeapGraph graph =
        new GraphBuilder(scorers, l2, size, MAX_CONN, 32, random().nextLong()).build(() -> {});
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    return allocated - RamUsageTester.ramUsed(graph);
  }
}
