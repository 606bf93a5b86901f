package org.hnswcodec.tool;

import picocli.CommandLine.Option;

/**
 * The options of {@code index} and {@code search} that say where the vectors are: the vector field
 * of the index and the key of the vector in JSON lines input. Declared once, so that the two
 * commands agree on their names and defaults.
 */
final class VectorOptions {

  @Option(
      names = "--field",
      paramLabel = "NAME",
      defaultValue = ToolDocuments.VECTOR_FIELD,
      description = "the vector field's name. Default: ${DEFAULT-VALUE}")
  String field;

  @Option(
      names = "--vector-key",
      paramLabel = "KEY",
      defaultValue = JsonlReader.VECTOR_KEY,
      description = "the key of the vector in JSON lines. Default: ${DEFAULT-VALUE}")
  String vectorKey;
}
