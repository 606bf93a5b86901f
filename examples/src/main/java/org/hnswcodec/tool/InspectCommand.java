package org.hnswcodec.tool;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.index.VectorEncoding;
import org.hnswcodec.codec.GraphInspector;
import org.hnswcodec.disk.OffHeapGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hnsw-tool inspect}: shows, per segment and vector field, the vectors and the shape of the
 * HnswCodec10 graph: layers, degrees, and nodes a search cannot reach.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Show each segment's vector fields and the shape of their HnswCodec10 graphs: parameters,"
          + " nodes and degrees per layer, the layer-0 degree histogram, unreachable nodes and"
          + " graph bytes per vector.",
      "Fields of other vector formats are listed without graph details."
    })
final class InspectCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = {"-i", "--index"},
      required = true,
      paramLabel = "DIR",
      description = "the index directory")
  private Path indexPath;

  @Option(
      names = "--field",
      paramLabel = "NAME",
      description = "inspect only this vector field. Default: all")
  private String field;

  @Option(
      names = "--bins",
      paramLabel = "N",
      defaultValue = "17",
      description = "the most bars of the degree histogram. Default: ${DEFAULT-VALUE}")
  private int bins;

  @Option(
      names = "--json",
      description = "print one JSON object per segment and field instead of text")
  private boolean json;

  @Override
  public Integer call() throws IOException {
    if (bins < 1) {
      throw new ParameterException(spec.commandLine(), "--bins must be >= 1; got " + bins);
    }
    PrintWriter out = spec.commandLine().getOut();
    int fieldsShown = 0;
    try (OpenIndex index = OpenIndex.open(indexPath)) {
      DirectoryReader reader = index.reader();
      if (json == false) {
        out.printf(
            Locale.ROOT,
            "index %s: %,d documents (%,d deleted) in %d segment%s%n",
            indexPath,
            reader.numDocs(),
            reader.numDeletedDocs(),
            reader.leaves().size(),
            reader.leaves().size() == 1 ? "" : "s");
      }
      for (LeafReaderContext context : reader.leaves()) {
        LeafReader leaf = context.reader();
        String segment =
            leaf instanceof SegmentReader sr ? sr.getSegmentName() : "leaf " + context.ord;
        if (json == false) {
          String codec =
              leaf instanceof SegmentReader sr
                  ? sr.getSegmentInfo().info.getCodec().getName()
                  : "?";
          out.printf(
              Locale.ROOT,
              "%nsegment %s (codec %s): %,d documents, %,d deleted%n",
              segment,
              codec,
              leaf.maxDoc(),
              leaf.maxDoc() - leaf.numDocs());
        }
        for (FieldInfo info : leaf.getFieldInfos()) {
          if (info.hasVectorValues() && (field == null || field.equals(info.name))) {
            inspectField(out, segment, leaf, info);
            fieldsShown++;
          }
        }
      }
    }
    if (fieldsShown == 0) {
      throw new InputException(
          field == null
              ? "the index has no vector fields"
              : "no segment has a vector field \"" + field + "\"");
    }
    return 0;
  }

  private void inspectField(PrintWriter out, String segment, LeafReader leaf, FieldInfo info)
      throws IOException {
    int vectors =
        info.getVectorEncoding() == VectorEncoding.FLOAT32
            ? leaf.getFloatVectorValues(info.name).size()
            : leaf.getByteVectorValues(info.name).size();
    String format = info.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY);
    GraphInspector.GraphParams params = GraphInspector.params(leaf, info.name);
    GraphStats stats = null;
    if (params != null) {
      OffHeapGraph graph = GraphInspector.graph(leaf, info.name);
      stats = GraphStats.of(graph);
    }
    if (json) {
      out.println(new Gson().toJson(toJson(segment, info, vectors, format, params, stats)));
    } else {
      printText(out, info, vectors, format, params, stats);
    }
  }

  private void printText(
      PrintWriter out,
      FieldInfo info,
      int vectors,
      String format,
      GraphInspector.GraphParams params,
      GraphStats stats) {
    out.printf(
        Locale.ROOT,
        "  field \"%s\": %,d vectors, %d dimensions, %s, %s, format %s%n",
        info.name,
        vectors,
        info.getVectorDimension(),
        info.getVectorEncoding(),
        info.getVectorSimilarityFunction(),
        format);
    if (params == null) {
      out.println("    (not an HnswCodec10 graph: no graph details)");
      return;
    }
    out.printf(
        Locale.ROOT,
        "    M=%d efConstruction=%d default ef=%d; graph %,d bytes, %.1f bytes per vector%n",
        params.maxConn(),
        params.beamWidth(),
        params.defaultEf(),
        params.graphBytes(),
        (double) params.graphBytes() / Math.max(1, vectors));
    if (params.unitLength()) {
      out.println("    all vectors of unit length: cosine scored as a dot product");
    }
    if (stats.layers().isEmpty()) {
      out.println(
          vectors == 0
              ? "    empty graph"
              : "    no graph (too few vectors in this segment): searches score every vector");
      return;
    }
    out.printf(
        Locale.ROOT, "    %d layers, entry node %d%n", stats.layers().size(), stats.entryNode());
    out.println("    layer      nodes   degree min / mean / max");
    for (GraphStats.LayerStats layer : stats.layers()) {
      out.printf(
          Locale.ROOT,
          "    %5d %,10d   %10d / %4.1f / %d%n",
          layer.level(),
          layer.nodes(),
          layer.minDegree(),
          layer.meanDegree(),
          layer.maxDegree());
    }
    out.printf(
        Locale.ROOT, "    layer-0 degree histogram (max degree 2M = %d):%n", 2 * params.maxConn());
    printHistogram(out, stats.degreeCounts());
    out.printf(
        Locale.ROOT,
        "    unreachable from the entry node over layer-0 links (the walk every search ends"
            + " with): %,d%n",
        stats.unreachableOnLayer0());
    out.printf(
        Locale.ROOT,
        "    unreachable from the entry node over the links of all layers: %,d%n",
        stats.unreachableAnyLayer());
  }

  private void printHistogram(PrintWriter out, long[] counts) {
    int width = (counts.length + bins - 1) / bins;
    long largest = 0;
    long[] binned = new long[(counts.length + width - 1) / width];
    for (int degree = 0; degree < counts.length; degree++) {
      binned[degree / width] += counts[degree];
      largest = Math.max(largest, binned[degree / width]);
    }
    for (int bin = 0; bin < binned.length; bin++) {
      int from = bin * width;
      int to = Math.min(counts.length - 1, from + width - 1);
      String label = from == to ? Integer.toString(from) : from + "-" + to;
      int bar = (int) Math.round(40.0 * binned[bin] / Math.max(1, largest));
      out.printf(Locale.ROOT, "      %7s %,10d  %s%n", label, binned[bin], "#".repeat(bar));
    }
  }

  private static JsonObject toJson(
      String segment,
      FieldInfo info,
      int vectors,
      String format,
      GraphInspector.GraphParams params,
      GraphStats stats) {
    JsonObject o = new JsonObject();
    o.addProperty("segment", segment);
    o.addProperty("field", info.name);
    o.addProperty("vectors", vectors);
    o.addProperty("dimension", info.getVectorDimension());
    o.addProperty("encoding", info.getVectorEncoding().name());
    o.addProperty("similarity", info.getVectorSimilarityFunction().name());
    o.addProperty("format", format);
    if (params != null) {
      o.addProperty("M", params.maxConn());
      o.addProperty("efConstruction", params.beamWidth());
      o.addProperty("defaultEf", params.defaultEf());
      o.addProperty("unitLength", params.unitLength());
      o.addProperty("hasGraph", stats.layers().isEmpty() == false);
      o.addProperty("graphBytes", params.graphBytes());
      o.addProperty("graphBytesPerVector", (double) params.graphBytes() / Math.max(1, vectors));
      o.addProperty("entryNode", stats.entryNode());
      JsonArray layers = new JsonArray();
      for (GraphStats.LayerStats layer : stats.layers()) {
        JsonObject l = new JsonObject();
        l.addProperty("level", layer.level());
        l.addProperty("nodes", layer.nodes());
        l.addProperty("minDegree", layer.minDegree());
        l.addProperty("meanDegree", layer.meanDegree());
        l.addProperty("maxDegree", layer.maxDegree());
        layers.add(l);
      }
      o.add("layers", layers);
      JsonArray histogram = new JsonArray();
      for (long count : stats.degreeCounts()) {
        histogram.add(count);
      }
      o.add("layer0DegreeCounts", histogram);
      o.addProperty("unreachableOnLayer0", stats.unreachableOnLayer0());
      o.addProperty("unreachableAnyLayer", stats.unreachableAnyLayer());
    }
    return o;
  }
}
