package org.hnswcodec.conformance;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.tests.index.BaseKnnVectorsFormatTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.hnswcodec.codec.HnswCodecVectorsFormat;

/**
 * Lucene's own conformance suite for vector formats, every test of it, run against our format
 * with random graph parameters, and a graph in every segment however small (minGraphSize 0).
 *
 * <p>The suite takes a reader whose class is named after HNSW to have a graph for every field
 * with vectors unless it is a Lucene {@code HnswGraphProvider} (it asserts graph bytes for each),
 * and ours is deliberately not one (see {@code HnswCodecVectorsReader}). Segments without a graph
 * are tested by our own tests: {@code GraphSearchTest}, {@code MoveToLuceneFormatTest}, {@code
 * TestQueryScenarios#testSegmentsWithAndWithoutGraphs} and the tool's inspect tests.
 */
public class TestHnswCodecVectorsFormat extends BaseKnnVectorsFormatTestCase {

  @Override
  protected Codec getCodec() {
    return TestUtil.alwaysKnnVectorsFormat(
        new HnswCodecVectorsFormat(
            random().nextInt(2, 33),
            random().nextInt(10, 150),
            random().nextInt(1, 200),
            1,
            null,
            0));
  }

  @Override
  protected boolean supportsFloatVectorFallback() {
    return false;
  }
}
