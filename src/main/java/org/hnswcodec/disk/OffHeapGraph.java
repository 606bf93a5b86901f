package org.hnswcodec.disk;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.GroupVIntUtil;
import org.apache.lucene.util.packed.DirectMonotonicReader;
import org.hnswcodec.graph.LayeredGraph;

/**
 * A field's graph read straight from the graph data file: each neighbour list is found through its
 * layer's offset table and decoded on demand. Only the node lists of the upper layers, a small
 * fraction of the nodes, are on the heap (in {@link GraphMeta}).
 *
 * <p>Not thread-safe: every search opens its own with {@link #open}, which clones the input.
 */
public final class OffHeapGraph implements LayeredGraph {

  private final GraphMeta meta;
  private final int maxConn;
  private final IndexInput records;
  private final DirectMonotonicReader[] offsets;

  private OffHeapGraph(
      GraphMeta meta, int maxConn, IndexInput records, DirectMonotonicReader[] offsets) {
    this.meta = meta;
    this.maxConn = maxConn;
    this.records = records;
    this.offsets = offsets;
  }

  /**
   * @param data the graph data file (shared; it is sliced, not moved)
   * @param maxConn M of the field
   */
  public static OffHeapGraph open(IndexInput data, GraphMeta meta, int maxConn)
      throws IOException {
    IndexInput records = data.slice("graph", meta.graphOffset(), meta.graphLength());
    DirectMonotonicReader[] offsets = new DirectMonotonicReader[meta.numLevels()];
    for (int level = 0; level < offsets.length; level++) {
      offsets[level] =
          DirectMonotonicReader.getInstance(
              meta.offsetsMeta()[level],
              data.randomAccessSlice(meta.offsetsStart()[level], meta.offsetsLength()[level]));
    }
    return new OffHeapGraph(meta, maxConn, records, offsets);
  }

  @Override
  public int size() {
    return meta.size();
  }

  @Override
  public int topLevel() {
    return meta.numLevels() - 1;
  }

  @Override
  public int entryNode() {
    return meta.entryNode();
  }

  @Override
  public int maxConn(int level) {
    return level == 0 ? 2 * maxConn : maxConn;
  }

  @Override
  public int neighbors(int level, int node, int[] dest) throws IOException {
    int index = level == 0 ? node : meta.upperLevelPositions()[level - 1].getOrDefault(node, -1);
    assert index >= 0 : "node " + node + " is not on level " + level;
    records.seek(offsets[level].get(index));
    int degree = records.readVInt();
    GroupVIntUtil.readGroupVInts(records, dest, degree);
    for (int i = 1; i < degree; i++) {
      dest[i] += dest[i - 1];
    }
    return degree;
  }

  @Override
  public int[] nodesOnLevel(int level) {
    if (level > 0) {
      return meta.upperLevelNodes()[level - 1].clone();
    }
    int[] all = new int[meta.size()];
    Arrays.setAll(all, i -> i);
    return all;
  }
}
