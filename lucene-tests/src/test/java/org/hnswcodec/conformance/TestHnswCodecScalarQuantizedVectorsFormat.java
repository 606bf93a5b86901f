package org.hnswcodec.conformance;

import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene95.OrdToDocDISIReaderConfiguration;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;
import org.hnswcodec.codec.HnswCodecScalarQuantizedVectorsFormat;

/**
 * Lucene's conformance suite, every test of it, against the scalar-quantized variant of our
 * format, with an encoding drawn per test and random graph parameters as in {@link
 * TestHnswCodecVectorsFormat} (whose check of fields without a graph it inherits).
 *
 * <p>The suite's two fallback tests empty the raw vectors and expect float values and scores
 * from the quantized copy alone, as Lucene's own quantized format gives them; {@link
 * #simulateEmptyRawVectors} empties the files of the raw flat format that Lucene's quantized
 * format keeps beneath ours.
 */
public class TestHnswCodecScalarQuantizedVectorsFormat extends TestHnswCodecVectorsFormat {

  /** Extensions of Lucene99's flat format, which holds the raw vectors beneath the quantized. */
  private static final String RAW_DATA_EXTENSION = ".vec";

  private static final String RAW_META_EXTENSION = ".vemf";

  /** Drawn on first use, which is the suite's setUp asking for the codec; one per test. */
  private ScalarEncoding encoding;

  private ScalarEncoding encoding() {
    if (encoding == null) {
      ScalarEncoding[] encodings = ScalarEncoding.values();
      encoding = encodings[random().nextInt(encodings.length)];
    }
    return encoding;
  }

  @Override
  protected KnnVectorsFormat format(int maxConn, int beamWidth, int defaultEf, int minGraphSize) {
    return new HnswCodecScalarQuantizedVectorsFormat(
        encoding(), maxConn, beamWidth, defaultEf, 1, null, minGraphSize);
  }

  @Override
  protected boolean supportsFloatVectorFallback() {
    return true;
  }

  @Override
  protected int getQuantizationBits() {
    return encoding().getBits();
  }

  /**
   * Leaves each raw data file with its header and footer only, and rewrites each raw metadata
   * file to describe its one field (the suite's fallback tests index one) as holding no vectors.
   */
  @Override
  protected void simulateEmptyRawVectors(Directory dir) throws Exception {
    int emptied = 0;
    for (String file : dir.listAll()) {
      if (file.endsWith(RAW_DATA_EXTENSION) || file.endsWith(RAW_META_EXTENSION)) {
        emptied++;
      }
      if (file.endsWith(RAW_DATA_EXTENSION)) {
        byte[] header = readHeader(dir, file);
        dir.deleteFile(file);
        try (IndexOutput out = dir.createOutput(file, IOContext.DEFAULT)) {
          out.writeBytes(header, header.length);
          CodecUtil.writeFooter(out);
        }
      } else if (file.endsWith(RAW_META_EXTENSION)) {
        rewriteMetaWithoutVectors(dir, file);
      }
    }
    // else the fallback tests would pass over the raw vectors, untouched
    assertEquals("raw vector files emptied", 2, emptied);
  }

  private static byte[] readHeader(Directory dir, String file) throws Exception {
    try (IndexInput in = dir.openInput(file, IOContext.READONCE)) {
      return CodecUtil.readIndexHeader(in);
    }
  }

  /**
   * Keeps the field's number, encoding, similarity, data offset and dimension, and sets its data
   * length and vector count to zero, in the entry layout of Lucene99FlatVectorsFormat's metadata.
   */
  private static void rewriteMetaWithoutVectors(Directory dir, String file) throws Exception {
    byte[] header;
    int fieldNumber;
    int vectorEncoding;
    int similarity;
    long dataOffset;
    int dimension;
    try (IndexInput in = dir.openInput(file, IOContext.READONCE)) {
      header = CodecUtil.readIndexHeader(in);
      fieldNumber = in.readInt();
      vectorEncoding = in.readInt();
      similarity = in.readInt();
      dataOffset = in.readVLong();
      in.readVLong(); // the data length, replaced by 0 below
      dimension = in.readVInt();
    }
    dir.deleteFile(file);
    try (IndexOutput out = dir.createOutput(file, IOContext.DEFAULT)) {
      out.writeBytes(header, header.length);
      out.writeInt(fieldNumber);
      out.writeInt(vectorEncoding);
      out.writeInt(similarity);
      out.writeVLong(dataOffset);
      out.writeVLong(0);
      out.writeVInt(dimension);
      out.writeInt(0);
      // With no vectors the block shift is unused: the stored meta is a fixed "empty" marker.
      OrdToDocDISIReaderConfiguration.writeStoredMeta(0, out, null, 0, 0, null);
      out.writeInt(-1); // no more fields
      CodecUtil.writeFooter(out);
    }
  }
}
