package org.hnswcodec.conformance;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;
import org.hnswcodec.codec.HnswCodecScalarQuantizedVectorsFormat;
import org.hnswcodec.codec.HnswCodecVectorsFormat;

/**
 * Lucene's conformance suite, every test of it, against the scalar-quantized variant of our
 * format, with a random encoding and random graph parameters as in {@link
 * TestHnswCodecVectorsFormat} (whose check of fields without a graph it inherits).
 */
public class TestHnswCodecScalarQuantizedVectorsFormat extends TestHnswCodecVectorsFormat {

  @Override
  protected Codec getCodec() {
    ScalarEncoding[] encodings = ScalarEncoding.values();
    return TestUtil.alwaysKnnVectorsFormat(
        new HnswCodecScalarQuantizedVectorsFormat(
            encodings[random().nextInt(encodings.length)],
            random().nextInt(2, 33),
            random().nextInt(10, 150),
            random().nextInt(1, 200),
            1,
            null,
            random().nextBoolean()
                ? HnswCodecVectorsFormat.DEFAULT_MIN_GRAPH_SIZE
                : random().nextInt(0, 10)));
  }
}
