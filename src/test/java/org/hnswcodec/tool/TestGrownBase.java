package org.hnswcodec.tool;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.lucene.util.VectorUtil;
import org.junit.Test;

public class TestGrownBase {

  private static final List<VectorRecord> BASE =
      List.of(
          new VectorRecord(0, new float[] {0, 0}, Map.of()),
          new VectorRecord(1, new float[] {2, 4}, Map.of()));

  @Test
  public void testComponentDeviationIsTheRootMeanSquareOfEachComponentsDeviation() {
    // the components' deviations are 1 and 2
    assertEquals(Math.sqrt((1 + 4) / 2.0), GrownBase.componentDeviation(BASE), 1e-12);
  }

  @Test
  public void testWithoutJitterEveryRowIsAnOriginalRowAndRowsAreNumbered() {
    List<VectorRecord> grown = GrownBase.grow(BASE, 50, 0);
    assertEquals(50, grown.size());
    int[] copies = new int[2];
    for (int i = 0; i < grown.size(); i++) {
      assertEquals(i, grown.get(i).row());
      float[] vector = grown.get(i).vector();
      copies[vector[0] == 0 ? 0 : 1]++;
      assertArrayEquals(BASE.get(vector[0] == 0 ? 0 : 1).vector(), vector, 0f);
    }
    assertTrue("both rows are drawn: " + copies[0] + ", " + copies[1], copies[0] > 10);
    assertTrue("both rows are drawn: " + copies[0] + ", " + copies[1], copies[1] > 10);
  }

  @Test
  public void testNoiseHasTheAskedDeviationAndEveryRunGrowsTheSameRows() {
    double jitter = 0.25;
    List<VectorRecord> grown = GrownBase.grow(BASE, 4000, jitter);
    double sumOfSquares = 0;
    for (VectorRecord record : grown) {
      float[] vector = record.vector();
      // the originals are 4.5 apart and the noise about 0.4: the nearer one is the original
      float[] first = BASE.get(0).vector();
      float[] second = BASE.get(1).vector();
      boolean nearerFirst =
          VectorUtil.squareDistance(vector, first) < VectorUtil.squareDistance(vector, second);
      float[] original = nearerFirst ? first : second;
      sumOfSquares += VectorUtil.squareDistance(vector, original);
    }
    double measured = Math.sqrt(sumOfSquares / (2 * grown.size()));
    double expected = jitter * GrownBase.componentDeviation(BASE);
    assertEquals(expected, measured, expected * 0.05);
    List<VectorRecord> again = GrownBase.grow(BASE, 4000, jitter);
    for (int i = 0; i < grown.size(); i++) {
      assertArrayEquals(grown.get(i).vector(), again.get(i).vector(), 0f);
    }
  }
}
