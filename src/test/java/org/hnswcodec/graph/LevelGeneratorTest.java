package org.hnswcodec.graph;

import org.apache.lucene.tests.util.LuceneTestCase;

public class LevelGeneratorTest extends LuceneTestCase {

  /** With mL = 1/ln(M), a node reaches layer l with probability M^-l. */
  public void testLevelsDecayByFactorM() {
    LevelGenerator levels = new LevelGenerator(16, random().nextLong());
    int nodes = 200_000;
    int[] atLeast = new int[4];
    for (int node = 0; node < nodes; node++) {
      int level = levels.levelOf(node);
      for (int l = 0; l < atLeast.length && l <= level; l++) {
        atLeast[l]++;
      }
    }
    assertEquals(nodes, atLeast[0]);
    assertEquals(1 / 16.0, atLeast[1] / (double) nodes, 0.004);
    assertEquals(1 / 256.0, atLeast[2] / (double) nodes, 0.001);
    assertEquals(1 / 4096.0, atLeast[3] / (double) nodes, 0.0003);
  }

  public void testSameSeedSameLevels() {
    long seed = random().nextLong();
    LevelGenerator a = new LevelGenerator(8, seed);
    LevelGenerator b = new LevelGenerator(8, seed);
    LevelGenerator other = new LevelGenerator(8, seed + 1);
    int differences = 0;
    for (int node = 0; node < 10_000; node++) {
      assertEquals(a.levelOf(node), b.levelOf(node));
      if (a.levelOf(node) != other.levelOf(node)) {
        differences++;
      }
    }
    assertTrue("another seed must give other levels", differences > 100);
  }

  public void testRejectsTooFewConnections() {
    IllegalArgumentException e =
        expectThrows(IllegalArgumentException.class, () -> new LevelGenerator(1, 0));
    assertEquals("maxConn must be >= 2; got 1", e.getMessage());
  }
}
