package org.hnswcodec.graph;

import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.RamUsageTester;

/** Layer 0 of a graph being built lives in pages of {@link OnHeapGraph#PAGE_NODES} nodes. */
public class OnHeapGraphTest extends LuceneTestCase {

  /**
   * Every node's list on layer 0 holds what was written to it, on every page, around the pages'
   * edges too: a node placed on the wrong page or at the wrong slot would read another's list.
   */
  public void testListsOnEveryPageKeptApart() {
    int maxConn = random().nextInt(2, 6);
    int size = 2 * OnHeapGraph.PAGE_NODES + random().nextInt(1, OnHeapGraph.PAGE_NODES);
    OnHeapGraph graph = new OnHeapGraph(size, maxConn);
    int maxConn0 = graph.maxConn(0);
    int[] nodes = new int[maxConn0];
    float[] scores = new float[maxConn0];
    for (int node = 0; node < size; node++) {
      graph.addNode(node, 0);
      int degree = expectedDegree(node, maxConn0);
      for (int i = 0; i < degree; i++) {
        nodes[i] = expectedNeighbor(node, i, size);
        scores[i] = expectedScore(node, i);
      }
      graph.setNeighbors(0, node, nodes, scores, degree);
    }
    // the last node of a page and the first of the next change a list with room for one more
    int edge = OnHeapGraph.PAGE_NODES;
    graph.addNeighbor(0, edge - 1, size - 1, Float.NEGATIVE_INFINITY);
    graph.addNeighbor(0, edge, size - 2, Float.NEGATIVE_INFINITY);
    graph.removeNeighbor(0, edge, 0);
    int[] read = new int[maxConn0 + 1];
    for (int node = 0; node < size; node++) {
      int degree = expectedDegree(node, maxConn0);
      int[] expected = new int[degree + 1];
      float[] expectedScores = new float[degree + 1];
      for (int i = 0; i < degree; i++) {
        expected[i] = expectedNeighbor(node, i, size);
        expectedScores[i] = expectedScore(node, i);
      }
      if (node == edge - 1) {
        expected[degree] = size - 1;
        expectedScores[degree++] = Float.NEGATIVE_INFINITY;
      } else if (node == edge) {
        System.arraycopy(expected, 1, expected, 0, degree - 1);
        System.arraycopy(expectedScores, 1, expectedScores, 0, degree - 1);
        expected[degree - 1] = size - 2;
        expectedScores[degree - 1] = Float.NEGATIVE_INFINITY;
      }
      assertEquals("node " + node, degree, graph.neighbors(0, node, read));
      for (int i = 0; i < degree; i++) {
        assertEquals("node " + node + ", neighbour " + i, expected[i], read[i]);
        assertEquals(expectedScores[i], graph.neighborScore(0, node, i), 0f);
      }
    }
  }

  /** The last page holds only the nodes left over: a graph costs what its nodes need. */
  public void testLastPageSizedToItsNodes() {
    int maxConn = 16;
    int full = OnHeapGraph.PAGE_NODES;
    long onePage = RamUsageTester.ramUsed(new OnHeapGraph(full, maxConn));
    long onePageAndOne = RamUsageTester.ramUsed(new OnHeapGraph(full + 1, maxConn));
    long perNode = onePage / full;
    // layer 0's two slots of 2M + 1 entries and a few ints and references a node
    assertTrue("" + perNode, perNode >= 2 * (2 * maxConn + 1) * Integer.BYTES);
    assertTrue(
        "one node more took " + (onePageAndOne - onePage) + " bytes",
        onePageAndOne - onePage < 4 * perNode);
  }

  // 2 .. 2M neighbours, never the node itself
  private static int expectedDegree(int node, int maxConn0) {
    return 2 + node % (maxConn0 - 1);
  }

  private static int expectedNeighbor(int node, int i, int size) {
    return (node + 1 + 7 * i) % size;
  }

  // decreasing along the list, as lists are kept
  private static float expectedScore(int node, int i) {
    return node - i / 64f;
  }
}
