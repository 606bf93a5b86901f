package org.hnswcodec.codec;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.KnnFieldVectorsWriter;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatFieldVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorsFormat;
import org.apache.lucene.codecs.hnsw.FlatVectorsReader;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.codecs.hnsw.FlatVectorsWriter;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.MergeState;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.Sorter;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.IORunnable;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.RamUsageEstimator;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.hnswcodec.disk.GraphWriter;
import org.hnswcodec.graph.GraphBuilder;
import org.hnswcodec.graph.OnHeapGraph;
import org.hnswcodec.merge.GraphMerger;
import org.hnswcodec.scoring.HeapByteScorerSupplier;
import org.hnswcodec.scoring.HeapFloatScorerSupplier;

/**
 * Writes the vectors through the flat format and a graph per field into the .vem/.vex files
 * documented on {@link HnswCodecVectorsFormat}.
 *
 * <p>At flush the graph is built from the buffered vectors, in the order the segment stores them
 * (index sorting applied), so its node ordinals are the flat format's ordinals with no remapping.
 * At merge the flat format first writes the merged vectors (live documents only, in the merged
 * order); the graph is then built over them by {@link GraphMerger} as deferred work, once every
 * field's vectors are written and can be read back off-heap.
 *
 * <p>A field with fewer vectors than {@code minGraphSize} in the flushed or merged segment is
 * written with an empty graph, which readers take as "score every vector".
 */
final class HnswCodecVectorsWriter extends KnnVectorsWriter {

  private static final long SHALLOW_SIZE =
      RamUsageEstimator.shallowSizeOfInstance(HnswCodecVectorsWriter.class);

  private final SegmentWriteState state;
  private final int maxConn;
  private final int beamWidth;
  private final int defaultEf;
  private final int buildWorkers;
  private final TaskExecutor buildExecutor;
  private final int minGraphSize;
  /** Reads back the merged vectors as indexed, from the files the flat writer wrote. */
  private final FlatVectorsFormat rawFormat;
  private final FlatVectorsWriter flatWriter;
  private final IndexOutput meta;
  private final IndexOutput graphData;
  private final GraphWriter graphWriter;
  private final List<FieldWriter<?>> fields = new ArrayList<>();

  /** Opened on the merged flat vectors, once they are all written, to build merged graphs. */
  private FlatVectorsReader mergedVectors;

  /**
   * This format's readers of the merging segments. Their merge instances have the vector files
   * read sequentially, searches and all, until {@code finishMerge}, which Lucene 10.5.1's merges
   * never call (apache/lucene#16419): {@link #close} does, when the merge is over or has failed.
   */
  private final Set<HnswCodecVectorsReader> mergeSources =
      Collections.newSetFromMap(new IdentityHashMap<>());

  private boolean flatWriterFinished;
  private boolean finished;

  HnswCodecVectorsWriter(
      SegmentWriteState state,
      int maxConn,
      int beamWidth,
      int defaultEf,
      int buildWorkers,
      TaskExecutor buildExecutor,
      int minGraphSize,
      FlatVectorsFormat rawFormat,
      FlatVectorsWriter flatWriter)
      throws IOException {
    this.state = state;
    this.maxConn = maxConn;
    this.beamWidth = beamWidth;
    this.defaultEf = defaultEf;
    this.buildWorkers = buildWorkers;
    this.buildExecutor = buildExecutor;
    this.minGraphSize = minGraphSize;
    this.rawFormat = rawFormat;
    this.flatWriter = flatWriter;
    IndexOutput metaOut = null;
    IndexOutput graphOut = null;
    boolean success = false;
    try {
      metaOut =
          state.directory.createOutput(
              fileName(HnswCodecVectorsFormat.META_EXTENSION), state.context);
      graphOut =
          state.directory.createOutput(
              fileName(HnswCodecVectorsFormat.GRAPH_EXTENSION), state.context);
      CodecUtil.writeIndexHeader(
          metaOut,
          HnswCodecVectorsFormat.META_CODEC_NAME,
          HnswCodecVectorsFormat.VERSION_CURRENT,
          state.segmentInfo.getId(),
          state.segmentSuffix);
      CodecUtil.writeIndexHeader(
          graphOut,
          HnswCodecVectorsFormat.GRAPH_CODEC_NAME,
          HnswCodecVectorsFormat.VERSION_CURRENT,
          state.segmentInfo.getId(),
          state.segmentSuffix);
      success = true;
    } finally {
      if (success == false) {
        IOUtils.closeWhileHandlingException(metaOut, graphOut, flatWriter);
      }
    }
    this.meta = metaOut;
    this.graphData = graphOut;
    this.graphWriter = new GraphWriter(graphData, meta, 2 * maxConn);
  }

  private String fileName(String extension) {
    return IndexFileNames.segmentFileName(state.segmentInfo.name, state.segmentSuffix, extension);
  }

  @Override
  public KnnFieldVectorsWriter<?> addField(FieldInfo fieldInfo) throws IOException {
    FieldWriter<?> field = new FieldWriter<>(fieldInfo, flatWriter.addField(fieldInfo));
    fields.add(field);
    return field;
  }

  @Override
  public void flush(int maxDoc, Sorter.DocMap sortMap) throws IOException {
    // The graphs are built before the flat format writes the buffered vectors, which it may change
    // as it does: Lucene's scalar quantizer centres them in place, after writing them as indexed.
    for (FieldWriter<?> field : fields) {
      List<?> vectors = field.vectorsInSegmentOrder(sortMap);
      OnHeapGraph graph = null;
      if (vectors.size() >= minGraphSize) {
        RandomVectorScorerSupplier scorers =
            field.scorers(vectors, flatWriter.getFlatVectorScorer());
        VectorSimilarityFunction similarity = field.info.getVectorSimilarityFunction();
        graph = builder(scorers, similarity, vectors.size(), buildExecutor).build(() -> {});
      }
      writeField(field.info, graph, field.unitLength(vectors));
    }
    flatWriter.flush(maxDoc, sortMap);
  }

  @Override
  public IORunnable mergeOneField(FieldInfo fieldInfo, MergeState mergeState) throws IOException {
    for (KnnVectorsReader reader : mergeState.knnVectorsReaders) {
      HnswCodecVectorsReader source = HnswCodecVectorsReader.ofField(reader, fieldInfo.name);
      if (source != null) {
        mergeSources.add(source);
      }
    }
    flatWriter.mergeOneFlatVectorField(fieldInfo, mergeState);
    return () -> {
      FlatVectorsReader vectors = mergedVectors();
      KnnVectorValues values =
          switch (fieldInfo.getVectorEncoding()) {
            case BYTE -> vectors.getByteVectorValues(fieldInfo.name);
            case FLOAT32 -> vectors.getFloatVectorValues(fieldInfo.name);
          };
      OnHeapGraph graph = null;
      boolean unitLength =
          values instanceof FloatVectorValues floats && UnitLengthVectors.all(fieldInfo, floats);
      if (values != null && values.size() > 0 && values.size() >= minGraphSize) {
        // over unit-length vectors cosine is a dot product, which costs a third of the arithmetic
        VectorSimilarityFunction similarity =
            unitLength
                ? VectorSimilarityFunction.DOT_PRODUCT
                : fieldInfo.getVectorSimilarityFunction();
        RandomVectorScorerSupplier scorers =
            vectors
                .getFlatVectorScorer(fieldInfo.name)
                .getRandomVectorScorerSupplier(similarity, values);
        TaskExecutor executor = buildExecutor;
        if (executor == null && mergeState.intraMergeTaskExecutor != null) {
          executor = new TaskExecutor(mergeState.intraMergeTaskExecutor);
        }
        graph =
            GraphMerger.merge(
                fieldInfo,
                mergeState,
                values,
                builder(scorers, similarity, values.size(), executor),
                maxConn,
                beamWidth);
      }
      writeField(fieldInfo, graph, unitLength);
    };
  }

  /** A builder of one field's graph, with this format's workers on {@code executor} if any. */
  private GraphBuilder builder(
      RandomVectorScorerSupplier scorers,
      VectorSimilarityFunction similarity,
      int size,
      TaskExecutor executor)
      throws IOException {
    return new GraphBuilder(
        scorers,
        similarity,
        size,
        maxConn,
        beamWidth,
        HnswCodecVectorsFormat.GRAPH_SEED,
        executor,
        buildWorkers);
  }

  /** Finishes the flat writer and opens a reader on the vectors it wrote, once. */
  private FlatVectorsReader mergedVectors() throws IOException {
    if (mergedVectors == null) {
      finishFlatWriter();
      mergedVectors =
          rawFormat.fieldsReader(
              new SegmentReadState(
                  state.directory,
                  state.segmentInfo,
                  state.fieldInfos,
                  state.context,
                  state.segmentSuffix));
    }
    return mergedVectors;
  }

  private void finishFlatWriter() throws IOException {
    if (flatWriterFinished == false) {
      flatWriterFinished = true;
      boolean success = false;
      try {
        flatWriter.finish();
        success = true;
      } finally {
        // closed here either way: close() no longer does once this has run
        if (success) {
          flatWriter.close();
        } else {
          IOUtils.closeWhileHandlingException(flatWriter);
        }
      }
    }
  }

  /**
   * One field's entry in the metadata file and its graph in the data file.
   *
   * @param unitLength whether the field is float32 COSINE with only unit-length vectors
   */
  private void writeField(FieldInfo fieldInfo, OnHeapGraph graph, boolean unitLength)
      throws IOException {
    meta.writeInt(fieldInfo.number);
    meta.writeInt(fieldInfo.getVectorEncoding().ordinal());
    meta.writeInt(
        HnswCodecVectorsFormat.SIMILARITY_FUNCTIONS.indexOf(
            fieldInfo.getVectorSimilarityFunction()));
    meta.writeVInt(maxConn);
    meta.writeVInt(beamWidth);
    meta.writeVInt(defaultEf);
    meta.writeByte((byte) (unitLength ? 1 : 0));
    graphWriter.write(graph);
  }

  @Override
  public void finish() throws IOException {
    if (finished) {
      throw new IllegalStateException("already finished");
    }
    finished = true;
    finishFlatWriter();
    meta.writeInt(-1);
    CodecUtil.writeFooter(meta);
    CodecUtil.writeFooter(graphData);
  }

  @Override
  public void close() throws IOException {
    List<Closeable> closing = new ArrayList<>();
    for (HnswCodecVectorsReader source : mergeSources) {
      closing.add(source::finishMerge);
    }
    closing.addAll(
        Arrays.asList(meta, graphData, flatWriterFinished ? null : flatWriter, mergedVectors));
    IOUtils.close(closing);
  }

  @Override
  public long ramBytesUsed() {
    long total = SHALLOW_SIZE;
    if (flatWriterFinished == false) {
      total += flatWriter.ramBytesUsed();
    }
    return total;
  }

  /** Checks each value, then hands it to the flat format's field writer, which buffers a copy. */
  private static final class FieldWriter<T> extends KnnFieldVectorsWriter<T> {
    private final FieldInfo info;
    private final FlatFieldVectorsWriter<T> flat;

    @SuppressWarnings("unchecked")
    FieldWriter(FieldInfo info, FlatFieldVectorsWriter<?> flat) {
      this.info = info;
      this.flat = (FlatFieldVectorsWriter<T>) flat;
    }

    @Override
    public void addValue(int docID, T vectorValue) throws IOException {
      switch (vectorValue) {
        case float[] floats -> VectorChecks.checkIndexed(info, floats);
        case byte[] bytes -> VectorChecks.checkIndexed(info, bytes);
        default -> throw new IllegalArgumentException(
            "field \"" + info.name + "\": unsupported vector type " + vectorValue.getClass());
      }
      flat.addValue(docID, vectorValue);
    }

    @Override
    public T copyValue(T vectorValue) {
      return flat.copyValue(vectorValue);
    }

    @Override
    public long ramBytesUsed() {
      return flat.ramBytesUsed();
    }

    /**
     * Whether the field is float32 COSINE and {@code vectors} all have unit length; the wrapper
     * reads no vector of a field that is not.
     */
    @SuppressWarnings("unchecked")
    boolean unitLength(List<?> vectors) throws IOException {
      return UnitLengthVectors.all(
          info, FloatVectorValues.fromFloats((List<float[]>) vectors, info.getVectorDimension()));
    }

    /** The buffered vectors in the order the flush writes them: by new docID if sorted. */
    List<T> vectorsInSegmentOrder(Sorter.DocMap sortMap) throws IOException {
      List<T> vectors = flat.getVectors();
      if (sortMap != null) {
        int[] newToOld = new int[vectors.size()];
        mapOldOrdToNewOrd(flat.getDocsWithFieldSet(), sortMap, null, newToOld, null);
        List<T> sorted = new ArrayList<>(vectors.size());
        for (int oldOrd : newToOld) {
          sorted.add(vectors.get(oldOrd));
        }
        vectors = sorted;
      }
      return vectors;
    }

    /**
     * Scorers over {@code vectors} for building the graph: our batched kernels where the JVM
     * allows, else the flat format's scorer.
     */
    @SuppressWarnings("unchecked")
    RandomVectorScorerSupplier scorers(List<?> vectors, FlatVectorsScorer lucene)
        throws IOException {
      int dimension = info.getVectorDimension();
      VectorSimilarityFunction similarity = info.getVectorSimilarityFunction();
      return switch (info.getVectorEncoding()) {
        case FLOAT32 ->
            HeapFloatScorerSupplier.create(
                (List<float[]>) vectors, dimension, similarity, lucene);
        case BYTE ->
            HeapByteScorerSupplier.create((List<byte[]>) vectors, dimension, similarity, lucene);
      };
    }
  }
}
