package org.hnswcodec.graph;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.IORunnable;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Builds an HNSW graph: optionally starts from a copy of another graph ({@link #copyFrom}), inserts
 * nodes ({@link NodeInserter}), and finally links any node that pruning left unreachable on layer 0
 * ({@link LayerZeroConnector}).
 *
 * <p>With one worker (the default) nodes are inserted in order on the calling thread, and the same
 * input always gives the same graph. With several workers and a {@link TaskExecutor}, insertions
 * run concurrently once the graph holds {@value #SEQUENTIAL_START} nodes, each worker with its
 * own {@link NodeInserter}, sharing the graph under {@link NodeLocks}; the graph then depends on
 * thread timing, as with any concurrent HNSW build, but not its quality. Copying and the
 * connectivity pass always run on the calling thread.
 */
public final class GraphBuilder {

  /** Insertions between two checks whether the build should stop (a merge being aborted). */
  private static final int ABORT_CHECK_INTERVAL = 1024;

  /**
   * Insertions a worker claims at once: enough to make claiming cheap, few enough that workers
   * finish together.
   */
  private static final int CLAIM = 16;

  /**
   * Nodes a graph holds before insertions go concurrent: inserted at once into a nearly empty
   * graph, nodes find little to link to, so the first ones go in one at a time.
   */
  private static final int SEQUENTIAL_START = 512;

  private final OnHeapGraph graph;
  private final RandomVectorScorerSupplier scorers;
  private final int beamWidth;
  private final boolean newcomerPairsOnly;
  private final TaskExecutor executor;
  private final NodeInserter[] inserters;
  // copied nodes to link again by a search before the build inserts the rest (null when no copy
  // is pending), and its beam
  private FixedBitSet toRelink;
  private int relinkBeam;

  /**
   * A builder that inserts on the calling thread.
   *
   * @param scorers scores any node against any other; ordinals are the graph's nodes
   * @param similarity what the scorers compute, which decides how lists are pruned ({@link
   *     DiversityHeuristic})
   * @param size number of nodes, {@code 0..size-1}
   * @param maxConn M
   * @param beamWidth efConstruction
   * @param seed seed of the layer assignment
   */
  public GraphBuilder(
      RandomVectorScorerSupplier scorers,
      VectorSimilarityFunction similarity,
      int size,
      int maxConn,
      int beamWidth,
      long seed)
      throws IOException {
    this(scorers, similarity, size, maxConn, beamWidth, seed, null, 1);
  }

  /**
   * A builder that inserts with {@code workers} concurrent workers on {@code executor}.
   *
   * @param executor runs the workers, or null to insert on the calling thread
   * @param workers how many insertions may run at once; 1 inserts on the calling thread
   */
  public GraphBuilder(
      RandomVectorScorerSupplier scorers,
      VectorSimilarityFunction similarity,
      int size,
      int maxConn,
      int beamWidth,
      long seed,
      TaskExecutor executor,
      int workers)
      throws IOException {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1; got " + workers);
    }
    this.graph = new OnHeapGraph(size, maxConn);
    this.scorers = scorers;
    this.beamWidth = beamWidth;
    this.newcomerPairsOnly = DiversityHeuristic.newcomerPairsOnly(similarity);
    int count = executor == null ? 1 : workers;
    this.executor = count == 1 ? null : executor;
    NodeLocks locks = count == 1 ? null : new NodeLocks();
    ReentrantLock entryLock = new ReentrantLock();
    LevelGenerator levels = new LevelGenerator(maxConn, seed);
    this.inserters = new NodeInserter[count];
    for (int i = 0; i < count; i++) {
      // scorers read vectors through buffers of their own: one copy per thread
      RandomVectorScorerSupplier own = i == 0 ? scorers : scorers.copy();
      inserters[i] =
          new NodeInserter(graph, locks, entryLock, levels, beamWidth, own, newcomerPairsOnly);
    }
  }

  /**
   * Links again the copied nodes {@link #copyFrom} marked, inserts every node not in the graph yet,
   * makes all nodes reachable on layer 0, and returns the graph.
   *
   * @param abortCheck run every so often by each worker; it throws to stop the build
   */
  public OnHeapGraph build(IORunnable abortCheck) throws IOException {
    if (toRelink != null) {
      int[] relinked = new int[toRelink.cardinality()];
      for (int node = 0, count = 0; count < relinked.length; node++) {
        if (toRelink.get(node)) {
          relinked[count++] = node;
        }
      }
      insertAll(
          relinked.length, (inserter, i) -> inserter.relink(relinked[i], relinkBeam), abortCheck);
      toRelink = null;
    }
    int[] pending = new int[graph.size()];
    int count = 0;
    for (int node = 0; node < graph.size(); node++) {
      if (graph.levelOf(node) == -1) {
        pending[count++] = node;
      }
    }
    insertAll(count, (inserter, i) -> inserter.insert(pending[i]), abortCheck);
    new LayerZeroConnector(graph, scorers, beamWidth).connect();
    return graph;
  }

  /**
   * Starts the graph as a copy of {@code source}, an already built graph over some of the nodes
   * (a merging segment's), so that {@link #build} only inserts the others. Source node {@code o}
   * becomes node {@code sourceToNode[o]}, or is dropped where that is -1 (a deleted document), and
   * keeps its layers and links; the similarities of its links, which pruning needs, are scored
   * again.
   *
   * <p>A node that linked to dropped nodes gets its list repaired: the diversity rule picks again
   * among its remaining neighbours and the neighbours of the dropped ones. One that lost more than
   * one in {@value GraphCopier#RELINK_LOSS} of its links on a layer is then linked again by {@link
   * #build}, first, with a search from its neighbours of beam {@code relinkBeam} (which still
   * offers the heuristic efConstruction candidates). A node left with no link on layer 0 is not
   * copied but inserted afresh by {@link #build}. If the entry node is dropped, a node on the
   * highest layer that still has nodes takes its place.
   *
   * @param source a graph built with the same M
   * @param sourceToNode the node each source node becomes, or -1 to drop it
   * @param relinkBeam the beam of the searches that link nodes again, from 1 to efConstruction
   */
  public void copyFrom(LayeredGraph source, int[] sourceToNode, int relinkBeam)
      throws IOException {
    checkBeam("relinkBeam", relinkBeam);
    GraphCopier copier = new GraphCopier(graph, scorers, newcomerPairsOnly);
    copier.copy(source, sourceToNode);
    toRelink = copier.toRelink();
    this.relinkBeam = relinkBeam;
  }

  /**
   * Inserts {@code nodes[0..count)}, whose neighbourhoods are roughly known, as when merging a
   * segment whose graph linked them to nodes inserted before: node {@code nodes[i]} is seeded with
   * {@code seeds[seedStart[i]..seedStart[i+1])}, of which those already linked into the graph
   * start its layer-0 search; its searches run a beam of {@code beam} instead of efConstruction
   * but offer the neighbour heuristic the efConstruction best nodes they score. A node with no
   * such seed is inserted as usual.
   *
   * @param beam the beam of their searches, from 1 to efConstruction
   * @param abortCheck run every so often by each worker; it throws to stop the insertions
   */
  public void insertNear(
      int[] nodes, int[] seedStart, int[] seeds, int count, int beam, IORunnable abortCheck)
      throws IOException {
    checkBeam("beam", beam);
    insertAll(
        count,
        (inserter, i) -> inserter.insertNear(nodes[i], seeds, seedStart[i], seedStart[i + 1], beam),
        abortCheck);
  }

  /**
   * A narrower beam than efConstruction still returns efConstruction candidates; a wider one would
   * return more than an inserter holds.
   */
  private void checkBeam(String name, int beam) {
    if (beam < 1 || beam > beamWidth) {
      throw new IllegalArgumentException(
          name + " must be >= 1 and <= efConstruction (" + beamWidth + "); got " + beam);
    }
  }

  /** One insertion, by index into the caller's list of nodes. */
  private interface Insertion {
    void insert(NodeInserter inserter, int index) throws IOException;
  }

  /**
   * Runs insertions {@code 0..count)}: in order on this thread, or claimed by the workers once the
   * graph holds {@value #SEQUENTIAL_START} nodes.
   */
  private void insertAll(int count, Insertion insertion, IORunnable abortCheck)
      throws IOException {
    int first = 0;
    for (; first < count; first++) {
      if (executor != null && graph.countOnLevel(0) >= SEQUENTIAL_START) {
        break;
      }
      if (first % ABORT_CHECK_INTERVAL == 0) {
        abortCheck.run();
      }
      insertion.insert(inserters[0], first);
    }
    if (first == count) {
      return;
    }
    // a long: each worker's last claim passes count, which may lie near Integer.MAX_VALUE
    AtomicLong claimed = new AtomicLong(first);
    List<Callable<Void>> workers = new ArrayList<>(inserters.length);
    for (NodeInserter inserter : inserters) {
      workers.add(
          () -> {
            int done = 0;
            for (long start = claimed.getAndAdd(CLAIM);
                start < count;
                start = claimed.getAndAdd(CLAIM)) {
              for (int i = (int) start; i < Math.min(start + CLAIM, count); i++) {
                if (done++ % ABORT_CHECK_INTERVAL == 0) {
                  abortCheck.run();
                }
                insertion.insert(inserter, i);
              }
            }
            return null;
          });
    }
    executor.invokeAll(workers);
  }
}
