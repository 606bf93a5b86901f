package org.hnswcodec.graph;

import java.util.Arrays;
import org.apache.lucene.tests.util.LuceneTestCase;

public class SortedBeamTest extends LuceneTestCase {

  public void testKeepsTheBestInOrder() {
    int capacity = random().nextInt(1, 40);
    SortedBeam beam = new SortedBeam(1);
    beam.clear(capacity);
    int count = random().nextInt(0, 200);
    float[] all = new float[count];
    for (int node = 0; node < count; node++) {
      all[node] = random().nextFloat();
      boolean better = beam.isFull() == false || all[node] > beam.worstScore();
      assertEquals(better, beam.add(node, all[node]));
    }
    float[] sorted = all.clone();
    Arrays.sort(sorted);
    assertEquals(Math.min(capacity, count), beam.size());
    for (int i = 0; i < beam.size(); i++) {
      float expected = sorted[count - 1 - i];
      assertEquals(expected, beam.score(i), 0f);
      assertEquals(expected, all[beam.node(i)], 0f);
    }
  }

  public void testEqualScoresKeepTheirOrderOfArrival() {
    SortedBeam beam = new SortedBeam(4);
    beam.clear(3);
    assertTrue(beam.add(7, 0.5f));
    assertTrue(beam.add(3, 0.5f));
    assertTrue(beam.add(9, 0.9f));
    // full: a score equal to the worst does not get in
    assertFalse(beam.add(1, 0.5f));
    assertEquals(9, beam.node(0));
    assertEquals(7, beam.node(1));
    assertEquals(3, beam.node(2));
  }

  public void testExpandsBestFirstAndComesBackForBetterArrivals() {
    SortedBeam beam = new SortedBeam(8);
    beam.clear(4);
    beam.add(10, 0.5f);
    beam.add(11, 0.7f);
    assertEquals(0, beam.expandNext()); // node 11
    assertEquals(11, beam.node(0));
    // a node better than the expanded one goes ahead of it and is the next to expand
    beam.add(12, 0.9f);
    beam.add(13, 0.6f);
    assertEquals(0, beam.expandNext());
    assertEquals(12, beam.node(0));
    assertEquals(2, beam.expandNext());
    assertEquals(13, beam.node(2));
    assertEquals(3, beam.expandNext());
    assertEquals(10, beam.node(3));
    assertEquals(-1, beam.expandNext());
    // marks do not show in the nodes read back
    assertEquals(11, beam.node(1));
    // an eviction of an expanded node leaves a new one to expand
    beam.add(14, 0.8f);
    assertEquals(4, beam.size());
    assertEquals(1, beam.expandNext());
    assertEquals(14, beam.node(1));
    assertEquals(-1, beam.expandNext());
  }

  public void testClearGrowsAndEmpties() {
    SortedBeam beam = new SortedBeam(2);
    beam.clear(2);
    beam.add(1, 1f);
    beam.expandNext();
    beam.clear(100);
    assertEquals(0, beam.size());
    for (int node = 0; node < 100; node++) {
      assertTrue(beam.add(node, node));
    }
    assertEquals(100, beam.size());
    assertEquals(99, beam.node(0));
    assertEquals(0, beam.expandNext());
  }

  public void testDrainsAWorstFirstQueueBestFirst() {
    NodeQueue queue = NodeQueue.worstFirst(4);
    int count = random().nextInt(1, 50);
    for (int node = 0; node < count; node++) {
      queue.add(node, random().nextFloat());
    }
    SortedBeam beam = new SortedBeam(1);
    beam.drain(queue);
    assertEquals(0, queue.size());
    assertEquals(count, beam.size());
    for (int i = 1; i < count; i++) {
      assertTrue(beam.score(i - 1) >= beam.score(i));
    }
    assertEquals(0, beam.expandNext());
  }
}
