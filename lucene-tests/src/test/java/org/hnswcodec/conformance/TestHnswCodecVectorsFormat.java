package org.hnswcodec.conformance;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.tests.index.BaseKnnVectorsFormatTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.hnswcodec.codec.HnswCodecVectorsFormat;

/**
 * Lucene's own conformance suite for vector formats, every test of it, run against our format
 * with random graph parameters.
 */
public class TestHnswCodecVectorsFormat extends BaseKnnVectorsFormatTestCase {

  @Override
  protected Codec getCodec() {
    return TestUtil.alwaysKnnVectorsFormat(
        new HnswCodecVectorsFormat(
            random().nextInt(2, 33), random().nextInt(10, 150), random().nextInt(1, 200)));
  }

  @Override
  protected boolean supportsFloatVectorFallback() {
    return false;
  }
}
