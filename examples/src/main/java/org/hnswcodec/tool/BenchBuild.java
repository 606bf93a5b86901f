package org.hnswcodec.tool;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.Directory;

/**
 * Builds a bench index with one format and measures it: the time to add the vectors and commit
 * (flushes included), the time to force-merge to one segment in natural flush mode, and the bytes
 * on disk.
 */
final class BenchBuild {

  /**
   * How segments are flushed.
   *
   * @param mode natural (flush by buffer, then force-merge) or one segment
   * @param maxBufferedDocs flush after this many documents, or {@link
   *     IndexWriterConfig#DISABLE_AUTO_FLUSH}
   * @param ramBufferMb flush when the buffer holds this much, or {@link
   *     IndexWriterConfig#DISABLE_AUTO_FLUSH}
   */
  record FlushPolicy(FlushMode mode, int maxBufferedDocs, double ramBufferMb) {

    /**
     * The buffer size of one-segment mode: above any bench dataset that fits the heap, below the
     * per-thread limit past which Lucene flushes regardless.
     */
    static final double ONE_SEGMENT_RAM_MB = 1900;

    static FlushPolicy oneSegment() {
      return new FlushPolicy(
          FlushMode.ONE_SEGMENT, IndexWriterConfig.DISABLE_AUTO_FLUSH, ONE_SEGMENT_RAM_MB);
    }

    String describe() {
      if (mode == FlushMode.ONE_SEGMENT) {
        return "one-segment (one flush, no merge)";
      }
      StringBuilder text = new StringBuilder("natural (flush every ");
      if (maxBufferedDocs != IndexWriterConfig.DISABLE_AUTO_FLUSH) {
        text.append(String.format(java.util.Locale.ROOT, "%,d docs", maxBufferedDocs));
      }
      if (ramBufferMb != IndexWriterConfig.DISABLE_AUTO_FLUSH) {
        text.append(maxBufferedDocs != IndexWriterConfig.DISABLE_AUTO_FLUSH ? " or " : "")
            .append(ramBufferMb)
            .append(" MB");
      }
      return text.append(", then force-merge to one segment)").toString();
    }
  }

  /**
   * What building one index took and gave.
   *
   * @param segmentsAfterBuild segments after adding and committing, before any force-merge
   * @param build adding the documents and committing, flushes included
   * @param merge force-merging to one segment and committing; {@link Timing#NONE} in one-segment
   *     mode
   * @param bytesByExtension the finished index's bytes on disk per file extension
   */
  record Round(
      int segmentsAfterBuild, Timing build, Timing merge, Map<String, Long> bytesByExtension) {}

  /**
   * The rounds of building one format's index. Times are the medians of the rounds, so that the
   * first round's class loading and JIT compilation do not count once there are three or more; the
   * index (segments, bytes) is the last round's, which the searches use.
   */
  record Result(BenchFormat format, List<Round> rounds) {

    Timing build() {
      return Timing.median(rounds.stream().map(Round::build).toList());
    }

    Timing merge() {
      return Timing.median(rounds.stream().map(Round::merge).toList());
    }

    int segmentsAfterBuild() {
      return rounds.getLast().segmentsAfterBuild();
    }

    Map<String, Long> bytesByExtension() {
      return rounds.getLast().bytesByExtension();
    }

    long indexBytes() {
      return IndexFiles.total(bytesByExtension());
    }

    /** Bytes of the graph files ({@code .vex} in both formats). */
    long graphBytes() {
      return bytesByExtension().getOrDefault("vex", 0L);
    }
  }

  private BenchBuild() {}

  /** Builds the index of {@code records} in {@code directory}, replacing any index there. */
  static Round build(
      Codec codec,
      Directory directory,
      List<VectorRecord> records,
      ToolDocuments documents,
      FlushPolicy flush)
      throws IOException {
    TieredMergePolicy mergePolicy = new TieredMergePolicy();
    // Separate files, so that the graph's bytes show under its own extension.
    mergePolicy.setNoCFSRatio(0.0);
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setCodec(codec)
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            .setUseCompoundFile(false)
            .setMergePolicy(mergePolicy)
            // Merges run on the thread that triggers them, so each is timed where it happens.
            .setMergeScheduler(new SerialMergeScheduler())
            .setMaxBufferedDocs(flush.maxBufferedDocs())
            .setRAMBufferSizeMB(flush.ramBufferMb());
    Timing build;
    Timing merge = Timing.NONE;
    int segments;
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      build =
          Timing.measure(
              () -> {
                for (VectorRecord record : records) {
                  writer.addDocument(documents.document(record));
                }
                writer.commit();
              });
      segments = SegmentInfos.readLatestCommit(directory).size();
      if (flush.mode() == FlushMode.NATURAL) {
        merge =
            Timing.measure(
                () -> {
                  writer.forceMerge(1);
                  writer.commit();
                });
      } else if (segments != 1) {
        throw new IllegalStateException(
            "one-segment mode flushed "
                + segments
                + " segments: the vectors do not fit one buffer");
      }
    }
    // Measured once the writer is closed and has deleted the files the merge made obsolete.
    return new Round(segments, build, merge, IndexFiles.bytesByExtension(directory));
  }
}
