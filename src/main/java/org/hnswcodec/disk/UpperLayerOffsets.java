package org.hnswcodec.disk;

import java.io.IOException;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.packed.DirectMonotonicReader;

/**
 * The record offsets of a field's upper layers, read once when the segment is opened and shared by
 * all its searches. Every search's descent reads them, and opening each layer's offset table per
 * search (a slice of the file and a monotonic reader each) cost a few percent of a search over a
 * small segment; the upper layers hold about 1/M of the nodes, so this is 8/M bytes per vector on
 * the heap (half a byte at M=16). Layer 0's table, as large as the segment, stays in the file.
 */
public final class UpperLayerOffsets {

  /** For layer {@code l >= 1}, at index {@code l - 1}: the offset of each node's record. */
  private final long[][] offsets;

  private UpperLayerOffsets(long[][] offsets) {
    this.offsets = offsets;
  }

  /**
   * Reads the offset tables of the upper layers that {@code meta} describes from {@code data},
   * checking that each layer's offsets ascend within the records, which end where layer 0's
   * offset table starts: the tables are read once, so a damaged one fails the segment's opening
   * rather than a search.
   */
  public static UpperLayerOffsets read(IndexInput data, GraphMeta meta) throws IOException {
    long[][] offsets = new long[Math.max(0, meta.numLevels() - 1)][];
    long recordsEnd = meta.recordsLength();
    for (int level = 1; level < meta.numLevels(); level++) {
      long[] levelOffsets = new long[meta.upperLevelNodes()[level - 1].length];
      try {
        DirectMonotonicReader table =
            DirectMonotonicReader.getInstance(
                meta.offsetsMeta()[level],
                data.randomAccessSlice(meta.offsetsStart()[level], meta.offsetsLength()[level]));
        for (int i = 0; i < levelOffsets.length; i++) {
          levelOffsets[i] = table.get(i);
        }
      } catch (RuntimeException e) {
        throw new CorruptIndexException("layer " + level + "'s offset table unreadable", data, e);
      }
      for (int i = 0; i < levelOffsets.length; i++) {
        long lowest = i == 0 ? 0 : levelOffsets[i - 1] + 1;
        if (levelOffsets[i] < lowest || levelOffsets[i] >= recordsEnd) {
          throw new CorruptIndexException(
              "layer " + level + "'s record " + i + " at " + levelOffsets[i] + ", not in ["
                  + lowest + ", " + recordsEnd + ")",
              data);
        }
      }
      offsets[level - 1] = levelOffsets;
    }
    return new UpperLayerOffsets(offsets);
  }

  /**
   * The offset of a record on layer {@code level >= 1}.
   *
   * @param position the node's position in the layer ({@link GraphMeta#upperLevelPositions})
   */
  long offset(int level, int position) {
    return offsets[level - 1][position];
  }
}
