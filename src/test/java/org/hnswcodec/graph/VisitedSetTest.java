package org.hnswcodec.graph;

import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.tests.util.LuceneTestCase;

public class VisitedSetTest extends LuceneTestCase {

  /** Every kind agrees with a plain set, across growth and clearing. */
  public void testMatchesAPlainSet() {
    int size = random().nextInt(10_000, 100_000);
    VisitedSet[] sets = {
      VisitedSet.forQuery(size, random().nextInt(1, 4), 8), // hashed: the segment is large
      VisitedSet.forQuery(size, size / 64, 1), // a bitset: it costs no more than the hash would
      VisitedSet.forBuild(size)
    };
    for (VisitedSet visited : sets) {
      for (int round = 0; round < 3; round++) {
        Set<Integer> expected = new HashSet<>();
        int visits = random().nextInt(1, 5000);
        for (int i = 0; i < visits; i++) {
          int node = random().nextInt(size);
          assertEquals("node " + node, expected.add(node), visited.visit(node));
        }
        visited.clear();
      }
    }
  }
}
