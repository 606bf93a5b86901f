package org.hnswcodec.disk;

import java.io.IOException;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.internal.hppc.IntIntHashMap;
import org.apache.lucene.store.DataInput;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.packed.DirectMonotonicReader;
import org.apache.lucene.util.packed.DirectMonotonicWriter;
import org.hnswcodec.graph.LevelGenerator;

/**
 * Where one field's graph lies in the graph data file and its shape, as read from the metadata
 * file: entry node, the nodes of each upper layer, and per layer the monotonic table of record
 * offsets.
 *
 * @param size number of nodes (vectors) in the graph
 * @param graphOffset start of the field's records in the data file
 * @param graphLength bytes of records and offset tables in the data file
 * @param entryNode the node searches start from, or -1 if the graph is empty
 * @param upperLevelNodes for layer {@code l >= 1}, at index {@code l - 1}, its nodes ascending
 * @param upperLevelPositions for layer {@code l >= 1}, at index {@code l - 1}, each node's position
 *     in {@code upperLevelNodes}, which indexes the layer's offset table: a search looks it up for
 *     every node it expands on an upper layer, and a hash lookup costs less than a binary search
 * @param offsetsStart per layer, start of its offset table in the data file
 * @param offsetsLength per layer, length of its offset table
 * @param offsetsMeta per layer, the offset table's block metadata
 */
public record GraphMeta(
    int size,
    long graphOffset,
    long graphLength,
    int entryNode,
    int[][] upperLevelNodes,
    IntIntHashMap[] upperLevelPositions,
    long[] offsetsStart,
    long[] offsetsLength,
    DirectMonotonicReader.Meta[] offsetsMeta) {

  /** Bytes of neighbour records at the start of the graph: layer 0's offset table follows them. */
  public long recordsLength() {
    return numLevels() == 0 ? 0 : offsetsStart[0] - graphOffset;
  }

  /** Number of layers; 0 for an empty graph. */
  public int numLevels() {
    return offsetsStart.length;
  }

  /**
   * Reads the part of a field's metadata entry that {@link GraphWriter#write} wrote, in the same
   * order, checking that its shape is one a writer could have written: the checksum has already
   * vouched for the bytes, so a value out of range means a writer's bug, and is reported as
   * corruption of the field rather than surfacing in a search as an index out of bounds.
   *
   * @param field the field's name, for messages
   * @param vectors the field's number of vectors, which bounds the graph's nodes (a graph has one
   *     a vector, or none)
   */
  public static GraphMeta read(IndexInput meta, String field, int vectors) throws IOException {
    int size = meta.readVInt();
    long graphOffset = meta.readVLong();
    if (size < 0 || size > vectors) {
      throw corrupt(field, "graph of " + size + " nodes over " + vectors + " vectors", meta);
    }
    if (size == 0) {
      long graphLength = meta.readVLong();
      return new GraphMeta(
          0, graphOffset, graphLength, -1, new int[0][], new IntIntHashMap[0], new long[0],
          new long[0], new DirectMonotonicReader.Meta[0]);
    }
    int numLevels = meta.readVInt();
    if (numLevels < 1 || numLevels > LevelGenerator.MAX_LEVEL + 1) {
      throw corrupt(field, numLevels + " layers", meta);
    }
    int entryNode = meta.readVInt();
    if (entryNode < 0 || entryNode >= size) {
      throw corrupt(field, "entry node " + entryNode + " in a graph of " + size, meta);
    }
    int[][] upper = new int[numLevels - 1][];
    IntIntHashMap[] positions = new IntIntHashMap[numLevels - 1];
    int below = size;
    for (int level = 1; level < numLevels; level++) {
      int count = meta.readVInt();
      if (count < 1 || count > below) {
        throw corrupt(field, count + " nodes on layer " + level + " above " + below, meta);
      }
      int[] nodes = new int[count];
      IntIntHashMap position = new IntIntHashMap(count);
      long previous = 0;
      for (int i = 0; i < count; i++) {
        int gap = meta.readVInt();
        // ascending: only the first node's gap, from 0, may be 0
        if (gap < (i == 0 ? 0 : 1) || previous + gap >= size) {
          throw corrupt(
              field,
              "layer " + level + " lists node " + (previous + gap) + " after " + previous
                  + " in a graph of " + size,
              meta);
        }
        previous += gap;
        nodes[i] = (int) previous;
        position.put(nodes[i], i);
      }
      upper[level - 1] = nodes;
      positions[level - 1] = position;
      below = count;
    }
    if (numLevels > 1 && positions[numLevels - 2].containsKey(entryNode) == false) {
      throw corrupt(field, "entry node " + entryNode + " is not on the top layer", meta);
    }
    int blockShift = meta.readVInt();
    if (blockShift < DirectMonotonicWriter.MIN_BLOCK_SHIFT
        || blockShift > DirectMonotonicWriter.MAX_BLOCK_SHIFT) {
      throw corrupt(field, "offset table block shift " + blockShift, meta);
    }
    long[] starts = new long[numLevels];
    long[] lengths = new long[numLevels];
    DirectMonotonicReader.Meta[] metas = new DirectMonotonicReader.Meta[numLevels];
    for (int level = 0; level < numLevels; level++) {
      int count = level == 0 ? size : upper[level - 1].length;
      starts[level] = meta.readVLong();
      metas[level] = DirectMonotonicReader.loadMeta(meta, count, blockShift);
      lengths[level] = meta.readVLong();
    }
    long graphLength = meta.readVLong();
    return new GraphMeta(
        size, graphOffset, graphLength, entryNode, upper, positions, starts, lengths, metas);
  }

  /**
   * Checks that the field's records and offset tables lie within {@code [dataStart, dataEnd)} of
   * the graph data file, the bytes between its header and its footer: the metadata is read before
   * that file is opened.
   */
  public void checkWithin(long dataStart, long dataEnd, IndexInput data, String field)
      throws CorruptIndexException {
    long graphEnd = graphOffset + graphLength;
    if (graphOffset < dataStart || graphLength < 0 || graphEnd > dataEnd) {
      throw corrupt(
          field,
          "graph at [" + graphOffset + ", " + graphEnd + ") outside the data at [" + dataStart
              + ", " + dataEnd + ")",
          data);
    }
    for (int level = 0; level < numLevels(); level++) {
      long start = offsetsStart[level];
      if (start < graphOffset || offsetsLength[level] < 0
          || start + offsetsLength[level] > graphEnd) {
        throw corrupt(
            field,
            "layer " + level + "'s offset table at [" + start + ", "
                + (start + offsetsLength[level]) + ") outside the graph at [" + graphOffset + ", "
                + graphEnd + ")",
            data);
      }
    }
  }

  private static CorruptIndexException corrupt(String field, String problem, DataInput in) {
    return new CorruptIndexException("field \"" + field + "\": " + problem, in);
  }
}
