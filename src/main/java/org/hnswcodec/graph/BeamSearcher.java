package org.hnswcodec.graph;

import java.io.IOException;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.RandomVectorScorer;

/**
 * The search of the HNSW paper (its algorithms 2 and 5): a greedy walk down the upper layers to the
 * node nearest the target, then a best-first beam on one layer that keeps the {@code ef} best nodes
 * seen and stops once the best unexpanded candidate is worse than all of them. The beam starts from
 * every node the walk scored ({@link #searchFromDescent}), so none is scored twice.
 *
 * <p>One searcher serves many searches in turn (it keeps its queues and buffers, and its visited
 * set unless given another); it is not thread-safe. Scores are similarities: higher is closer.
 */
public final class BeamSearcher {

  private VisitedSet visited;
  private final NodeQueue candidates;
  private final NodeQueue beam;
  private final SearchResults results;
  private final int minResults;
  // told of every node entering the beam and of every expansion, when a caller asks; else null
  private final BeamListener listener;
  // the best nodes scored, when a search returns more of them than its beam holds; made on first use
  private BestScored bestScored;
  private final int[] neighbors;
  private final int[] batch;
  private final float[] batchScores;
  // The nodes the current search has scored, with their scores: first its seeds, the descent's
  // nodes or the caller's entries, which the beam starts from; then, if the searcher records them,
  // every node the beam scored, for a walk that goes on from them all (searchOn).
  private int[] scoredNodes;
  private float[] scoredScores;
  private int seedCount;
  private int scoredCount;
  // whether searches record what their beams score, and whether the last one did
  private boolean records;
  private boolean recorded;

  /**
   * @param visited the visited set to use, sized for the graph
   * @param maxConn0 the most neighbours any node has on any layer (2M)
   * @param ef the expected beam width, to size the queues
   */
  public BeamSearcher(VisitedSet visited, int maxConn0, int ef) {
    this(visited, maxConn0, ef, 0, null);
  }

  /**
   * A searcher that tells {@code listener} of each node entering its beam and each expansion, as
   * its searches go; its {@link #results()} stay empty, the listener having had them.
   */
  public BeamSearcher(VisitedSet visited, int maxConn0, int ef, BeamListener listener) {
    this(visited, maxConn0, ef, 0, listener);
  }

  /**
   * A searcher whose searches return at least {@code minResults} nodes: the best accepted nodes
   * they scored, when that is more than their beam holds. An insertion searching with a narrow beam
   * can so give the neighbour heuristic as many candidates as a wider beam would, from fewer
   * scored nodes.
   */
  BeamSearcher(VisitedSet visited, int maxConn0, int ef, int minResults) {
    this(visited, maxConn0, ef, minResults, null);
  }

  private BeamSearcher(
      VisitedSet visited, int maxConn0, int ef, int minResults, BeamListener listener) {
    this.minResults = minResults;
    this.listener = listener;
    this.visited = visited;
    this.candidates = NodeQueue.bestFirst(ef * 2);
    this.beam = NodeQueue.worstFirst(ef + 1);
    this.results = new SearchResults(ef);
    this.neighbors = new int[maxConn0];
    this.batch = new int[maxConn0];
    this.batchScores = new float[maxConn0];
    // a descent scores the entry node and the new neighbours of each node it moves through, about
    // 48 nodes on the SIFT set's three upper layers at M=16: twice 2M spares most searches a
    // regrowth
    this.scoredNodes = new int[2 * maxConn0];
    this.scoredScores = new float[2 * maxConn0];
  }

  /**
   * Makes later searches mark the nodes they score in {@code visited}, a set for the same graph: a
   * searcher kept for query after query takes a new set for each, which costs less than keeping
   * one as large as the segment.
   */
  public void useVisited(VisitedSet visited) {
    this.visited = visited;
  }

  /**
   * Makes later searches record every node their beam scores, with its score, so that {@link
   * #searchOn} can go on from all of them rather than from the seeds alone; two array copies per
   * expanded node, for a caller that expects to need it.
   */
  public void recordScored() {
    records = true;
  }

  /**
   * The results of the last {@link #searchLevel} or {@link #searchFromDescent}, best first; empty
   * for a searcher with a listener, which has been told of every node that entered the beam.
   */
  public SearchResults results() {
    return results;
  }

  /**
   * Greedy descent (a beam of width one) from the graph's entry node down to {@code toLevel}. The
   * nodes it scores are kept, with their scores, for {@link #searchFromDescent}.
   *
   * @return the node nearest the target found on {@code toLevel}, or -1 if the visit budget ran out
   *     before the entry node could be scored
   */
  public int descend(LayeredGraph graph, RandomVectorScorer scorer, int toLevel, SearchLimits limits)
      throws IOException {
    return descend(graph, scorer, graph.entryNode(), graph.topLevel(), toLevel, limits);
  }

  /**
   * Greedy descent from {@code entryNode} on {@code fromLevel}, for a graph whose entry point may
   * move while it is walked (insertions on other threads): the caller reads the pair once.
   */
  int descend(
      LayeredGraph graph,
      RandomVectorScorer scorer,
      int entryNode,
      int fromLevel,
      int toLevel,
      SearchLimits limits)
      throws IOException {
    int current = entryNode;
    // no seeds for a search that cannot start, not the last search's
    seedCount = 0;
    scoredCount = 0;
    if (limits.visitsLeft() <= 0) {
      return -1;
    }
    float currentScore = scorer.score(current);
    limits.visited(1);
    // One visited set for all layers: a node scored on a layer above scored no better than the
    // current node, so the walk would not move to it anyway.
    visited.clear();
    visited.visit(current);
    addSeed(current, currentScore);
    for (int level = fromLevel; level > toLevel; level--) {
      boolean moved = true;
      while (moved) {
        moved = false;
        int count = unvisitedNeighbors(graph, level, current, limits.visitsLeft());
        if (count == 0) {
          break;
        }
        scorer.bulkScore(batch, batchScores, count);
        limits.visited(count);
        for (int i = 0; i < count; i++) {
          addSeed(batch[i], batchScores[i]);
          if (batchScores[i] > currentScore) {
            currentScore = batchScores[i];
            current = batch[i];
            moved = true;
          }
        }
      }
    }
    return current;
  }

  private void addSeed(int node, float score) {
    growScored(1);
    scoredNodes[scoredCount] = node;
    scoredScores[scoredCount] = score;
    seedCount = ++scoredCount;
  }

  /** Records the {@code count} nodes of {@link #batch} after the seeds and what was recorded. */
  private void recordBatch(int count) {
    growScored(count);
    System.arraycopy(batch, 0, scoredNodes, scoredCount, count);
    System.arraycopy(batchScores, 0, scoredScores, scoredCount, count);
    scoredCount += count;
  }

  private void growScored(int count) {
    if (scoredCount + count > scoredNodes.length) {
      int length = Math.max(2 * scoredNodes.length, scoredCount + count);
      scoredNodes = ArrayUtil.growExact(scoredNodes, length);
      scoredScores = ArrayUtil.growExact(scoredScores, length);
    }
  }

  /**
   * Beam search on the layer where the last {@link #descend} stopped, starting from every node the
   * descent scored (each is on this layer too, as a node is on every layer below its top one), at
   * the score the descent found: none is scored again, and the beam starts with what the descent
   * learnt rather than from its last node alone. Otherwise as {@link #searchLevel}.
   *
   * <p>The best candidate is expanded while it could still improve the {@code ef} best accepted
   * nodes; nodes the filter rejects are candidates but never results. The results are those
   * {@code ef}, or the searcher's {@code minResults} best accepted nodes scored if that is more
   * (none for a searcher with a listener).
   */
  public void searchFromDescent(
      LayeredGraph graph,
      RandomVectorScorer scorer,
      int level,
      int ef,
      Bits acceptOrds,
      SearchLimits limits)
      throws IOException {
    searchFromSeeds(graph, scorer, level, ef, acceptOrds, limits, listener);
  }

  /**
   * Walks on from the last search, on its layer, for a caller whose results it did not satisfy: a
   * collector of the best child of each of k parents, say, when the beam held fewer than k
   * parents. The walk has no beam of its own: it expands the best candidate while that scores at
   * least the caller's floor ({@link SearchLimits#minScore}, which the hits handed over raise),
   * handing {@code listener} each accepted node as it expands it and telling it of each expansion;
   * {@link #results()} stay empty. A node below the floor when it is reached stays below it, as the
   * floor only rises, and every node the caller could keep is expanded before the walk ends, so
   * handing nodes over best first as they are expanded gives the caller what handing them over as
   * they are scored would, in fewer hand-overs. Once the visits run out, the candidates still at
   * or above the floor are handed over without being expanded.
   *
   * <p>If the last search recorded what its beam scored ({@link #recordScored}), the walk starts
   * from every node that search scored, at its score, and none is scored again; otherwise from its
   * seeds, the beam's nodes forgotten and scored again where the walk reaches them.
   */
  public void searchOn(
      LayeredGraph graph,
      RandomVectorScorer scorer,
      int level,
      Bits acceptOrds,
      SearchLimits limits,
      BeamListener listener)
      throws IOException {
    if (recorded == false) {
      // only the seeds were kept: forget the beam's nodes, to be scored again where reached
      visited.clear();
      for (int i = 0; i < seedCount; i++) {
        visited.visit(scoredNodes[i]);
      }
    }
    candidates.clear();
    results.clear();
    float floor = limits.minScore();
    for (int i = 0; i < scoredCount; i++) {
      if (scoredScores[i] >= floor) {
        candidates.add(scoredNodes[i], scoredScores[i]);
      }
    }
    while (candidates.size() > 0) {
      float score = candidates.topScore();
      if (score < floor) {
        break;
      }
      int node = candidates.pop();
      if (acceptOrds == null || acceptOrds.get(node)) {
        listener.entered(node, score);
        floor = limits.minScore();
      }
      long budget = limits.visitsLeft();
      if (budget <= 0) {
        continue;
      }
      int count = unvisitedNeighbors(graph, level, node, budget);
      if (count > 0) {
        scorer.bulkScore(batch, batchScores, count);
        limits.visited(count);
        for (int i = 0; i < count; i++) {
          if (batchScores[i] >= floor) {
            candidates.add(batch[i], batchScores[i]);
          }
        }
      }
      listener.expanded();
    }
  }

  private void searchFromSeeds(
      LayeredGraph graph,
      RandomVectorScorer scorer,
      int level,
      int ef,
      Bits acceptOrds,
      SearchLimits limits,
      BeamListener listener)
      throws IOException {
    candidates.clear();
    beam.clear();
    scoredCount = seedCount;
    recorded = records;
    BestScored kept = minResults > ef ? bestScored() : null;
    float minScore = limits.minScore();
    if (acceptOrds == null) {
      // Only the ef best seeds can be expanded: the rest are below the floor those set. A descent
      // scores a few dozen nodes, so offering each to the bounded beam first (a rejection is one
      // comparison) spares most of their pushes onto the candidates.
      for (int i = 0; i < seedCount; i++) {
        if (scoredScores[i] >= minScore) {
          enter(scoredNodes[i], scoredScores[i], ef, listener);
          if (kept != null) {
            kept.add(scoredNodes[i], scoredScores[i]);
          }
        }
      }
      for (int i = 1; i <= beam.size(); i++) {
        candidates.add(beam.nodeAt(i), beam.scoreAt(i));
      }
    } else {
      for (int i = 0; i < seedCount; i++) {
        int seed = scoredNodes[i];
        float score = scoredScores[i];
        // a seed the filter rejects is still walked from; one below the caller's floor is not
        candidates.add(seed, score);
        if (acceptOrds.get(seed) && score >= minScore) {
          enter(seed, score, ef, listener);
          if (kept != null) {
            kept.add(seed, score);
          }
        }
      }
    }
    float floor = floor(ef, limits);
    while (candidates.size() > 0) {
      float bestCandidate = candidates.topScore();
      if (bestCandidate < floor) {
        break;
      }
      // asked once per expansion: for a query under a timeout this reads the clock
      long budget = limits.visitsLeft();
      if (budget <= 0) {
        break;
      }
      int node = candidates.pop();
      int count = unvisitedNeighbors(graph, level, node, budget);
      if (count > 0) {
        scorer.bulkScore(batch, batchScores, count);
        limits.visited(count);
        if (recorded) {
          recordBatch(count);
        }
        for (int i = 0; i < count; i++) {
          float score = batchScores[i];
          if (kept != null
              && score >= minScore
              && (acceptOrds == null || acceptOrds.get(batch[i]))) {
            kept.add(batch[i], score);
          }
          if (score >= floor) {
            int neighbor = batch[i];
            candidates.add(neighbor, score);
            if ((acceptOrds == null || acceptOrds.get(neighbor))
                && enter(neighbor, score, ef, listener)) {
              floor = floor(ef, limits);
            }
          }
        }
      }
      if (listener != null) {
        listener.expanded();
      }
    }
    if (listener == null && kept != null) {
      kept.selectInto(results);
    } else if (listener == null) {
      results.drain(beam);
    } else {
      // the listener has had them; a beam without bound would be sorted for no one
      beam.clear();
      results.clear();
    }
  }

  /** Offers an accepted node to the beam, and to the listener if it enters; true if it did. */
  private boolean enter(int node, float score, int ef, BeamListener listener) {
    boolean entered = beam.insertWithOverflow(node, score, ef);
    if (entered && listener != null) {
      listener.entered(node, score);
    }
    return entered;
  }

  private BestScored bestScored() {
    if (bestScored == null) {
      bestScored = new BestScored(minResults);
    }
    bestScored.clear();
    return bestScored;
  }

  /**
   * Beam search on one layer from the given entry nodes. Afterwards {@link #results()} holds up to
   * {@code ef} of the best accepted nodes found (unless the searcher has a listener); nodes not in
   * {@code acceptOrds} are still expanded, so a filter does not cut the graph apart, but never
   * enter the results.
   *
   * @param entryNodes the nodes to start from
   * @param entryCount how many of {@code entryNodes} to use
   * @param acceptOrds the nodes that may be returned, or null for all
   */
  public void searchLevel(
      LayeredGraph graph,
      RandomVectorScorer scorer,
      int level,
      int[] entryNodes,
      int entryCount,
      int ef,
      Bits acceptOrds,
      SearchLimits limits)
      throws IOException {
    visited.clear();
    seedCount = 0;
    scoredCount = 0;
    // scored in bulk, a batch at a time: an insertion during a merge starts from a dozen or more
    int next = 0;
    for (long budget = limits.visitsLeft(); next < entryCount && budget > 0; ) {
      int count = 0;
      for (; next < entryCount && count < batch.length && count < budget; next++) {
        batch[count] = entryNodes[next];
        count += visited.visit(entryNodes[next]) ? 1 : 0;
      }
      if (count > 0) {
        scorer.bulkScore(batch, batchScores, count);
        limits.visited(count);
        for (int i = 0; i < count; i++) {
          addSeed(batch[i], batchScores[i]);
        }
        budget = limits.visitsLeft();
      }
    }
    // the scored entries are the seeds, as a descent's scored nodes would be
    searchFromDescent(graph, scorer, level, ef, acceptOrds, limits);
  }

  /** Below this score a node can no longer improve the results. */
  private float floor(int ef, SearchLimits limits) {
    float floor = limits.minScore();
    if (beam.size() >= ef) {
      floor = Math.max(floor, beam.topScore());
    }
    return floor;
  }

  /**
   * Fills {@link #batch} with the neighbours of {@code node} not visited yet, marking them visited,
   * and no more than {@code budget} of them.
   */
  private int unvisitedNeighbors(LayeredGraph graph, int level, int node, long budget)
      throws IOException {
    int degree = graph.neighbors(level, node, neighbors);
    int count = 0;
    for (int i = 0; i < degree && count < budget; i++) {
      int neighbor = neighbors[i];
      // written either way and kept only if new: whether a neighbour was seen is a coin flip
      // that a branch would mispredict half the time
      batch[count] = neighbor;
      count += visited.visit(neighbor) ? 1 : 0;
    }
    return count;
  }
}
