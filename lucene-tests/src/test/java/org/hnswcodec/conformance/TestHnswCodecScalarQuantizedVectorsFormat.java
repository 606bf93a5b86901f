package org.hnswcodec.conformance;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;
import org.hnswcodec.codec.HnswCodecScalarQuantizedVectorsFormat;

/**
 * Lucene's conformance suite, every test of it, against the scalar-quantized variant of our
 * format, with a random encoding and random graph parameters as in {@link
 * TestHnswCodecVectorsFormat} (whose check of fields without a graph it inherits).
 */
public class TestHnswCodecScalarQuantizedVectorsFormat extends TestHnswCodecVectorsFormat {

  @Override
  protected KnnVectorsFormat format(int maxConn, int beamWidth, int defaultEf, int minGraphSize) {
    ScalarEncoding[] encodings = ScalarEncoding.values();
    return new HnswCodecScalarQuantizedVectorsFormat(
        encodings[random().nextInt(encodings.length)],
        maxConn,
        beamWidth,
        defaultEf,
        1,
        null,
        minGraphSize);
  }
}
