package org.hnswcodec.conformance;

import java.io.IOException;
import java.util.Map;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.tests.index.BaseKnnVectorsFormatTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.hnswcodec.codec.GraphInspector;
import org.hnswcodec.codec.HnswCodecVectorsFormat;

/**
 * Lucene's own conformance suite for vector formats, every test of it, run against our format
 * with random graph parameters. Its segments hold from one to a few hundred vectors: in half the
 * runs every segment gets a graph (a minGraphSize of 0 to 9), in the other half the default
 * minGraphSize (650) leaves most without one.
 */
public class TestHnswCodecVectorsFormat extends BaseKnnVectorsFormatTestCase {

  @Override
  protected Codec getCodec() {
    return TestUtil.alwaysKnnVectorsFormat(
        format(
            random().nextInt(2, 33),
            random().nextInt(10, 150),
            random().nextInt(1, 200),
            random().nextBoolean()
                ? HnswCodecVectorsFormat.DEFAULT_MIN_GRAPH_SIZE
                : random().nextInt(0, 10)));
  }

  /** The format under test, with one build worker and these parameters. */
  protected KnnVectorsFormat format(int maxConn, int beamWidth, int defaultEf, int minGraphSize) {
    return new HnswCodecVectorsFormat(maxConn, beamWidth, defaultEf, 1, null, minGraphSize);
  }

  @Override
  protected boolean supportsFloatVectorFallback() {
    return false;
  }

  /**
   * The suite takes a reader whose class is named after HNSW, and that is not a Lucene {@code
   * HnswGraphProvider} (ours deliberately is not, see {@code HnswCodecVectorsReader}), to have a
   * graph for every field with vectors, and asserts graph bytes for it. A field of ours in a
   * segment below minGraphSize has none: for it this asserts what the suite asserts of formats
   * without graphs, vector bytes and no graph bytes; every other field gets the suite's check.
   */
  @Override
  protected void assertOffHeapByteSize(LeafReader r, String fieldName) throws IOException {
    var graph = GraphInspector.graph(r, fieldName);
    FieldInfo info = r.getFieldInfos().fieldInfo(fieldName);
    if (graph == null || graph.size() > 0 || vectorCount(r, info) == 0) {
      super.assertOffHeapByteSize(r, fieldName);
      return;
    }
    KnnVectorsReader reader = ((CodecReader) r).getVectorReader();
    if (reader instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
      reader = perField.getFieldReader(fieldName);
    }
    Map<String, Long> offHeap = reader.getOffHeapByteSize(info);
    assertTrue(offHeap.get("vec") > 0L);
    assertEquals(Long.valueOf(0), offHeap.get("vex"));
  }

  private static int vectorCount(LeafReader r, FieldInfo info) throws IOException {
    return switch (info.getVectorEncoding()) {
      case BYTE -> r.getByteVectorValues(info.name).size();
      case FLOAT32 -> r.getFloatVectorValues(info.name).size();
    };
  }
}
