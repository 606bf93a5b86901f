package org.hnswcodec.codec;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;

/**
 * Lucene's default codec with {@link HnswCodecVectorsFormat} for every vector field, registered by
 * name ({@value #NAME}) so that {@code Codec.forName} and {@code -Dtests.codec} find it.
 *
 * <pre>{@code
 * IndexWriterConfig config = new IndexWriterConfig().setCodec(new HnswCodec());
 * // or with parameters: M=32, efConstruction=200, default ef=64
 * config.setCodec(new HnswCodec(new HnswCodecVectorsFormat(32, 200, 64)));
 * }</pre>
 *
 * <p>Each segment records the vector format by name and its parameters in its own files, so
 * segments reopen whichever instance of this codec reads them.
 */
public final class HnswCodec extends FilterCodec {

  /** The name this codec is registered under and recorded in every segment. */
  public static final String NAME = "HnswCodec104";

  private final KnnVectorsFormat vectorsFormat;
  private final KnnVectorsFormat perFieldVectors =
      new PerFieldKnnVectorsFormat() {
        @Override
        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
          return vectorsFormat;
        }
      };

  /** The codec with the format's defaults. */
  public HnswCodec() {
    this(new HnswCodecVectorsFormat());
  }

  /** The codec with the given vector format for every vector field. */
  public HnswCodec(KnnVectorsFormat vectorsFormat) {
    super(NAME, defaultCodec());
    this.vectorsFormat = vectorsFormat;
  }

  /**
   * Lucene's current default codec, which this one wraps. Its class changes between Lucene
   * releases (Lucene103Codec up to 10.3, Lucene104Codec from 10.4), so it is named only here.
   */
  static Codec defaultCodec() {
    return new Lucene104Codec();
  }

  @Override
  public KnnVectorsFormat knnVectorsFormat() {
    return perFieldVectors;
  }

  @Override
  public String toString() {
    return NAME + "(" + vectorsFormat + ")";
  }
}
