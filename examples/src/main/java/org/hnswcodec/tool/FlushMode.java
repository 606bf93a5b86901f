package org.hnswcodec.tool;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How the bench turns the base vectors into one segment. */
enum FlushMode {
  /**
   * Flush several segments as the buffer fills, as an application would, then force-merge them into
   * one: the graph is built at flush and again at merge.
   */
  NATURAL("natural"),
  /** Buffer everything and flush one segment: the graph is built once, from all the vectors. */
  ONE_SEGMENT("one-segment");

  private final String label;

  FlushMode(String label) {
    this.label = label;
  }

  @Override
  public String toString() {
    return label;
  }

  /** Converts the value of {@code --flush-mode}. */
  static final class Converter implements ITypeConverter<FlushMode> {
    @Override
    public FlushMode convert(String value) {
      for (FlushMode mode : values()) {
        if (mode.label.equals(value.toLowerCase(Locale.ROOT))) {
          return mode;
        }
      }
      throw new TypeConversionException(
          "'" + value + "' is not a flush mode; expected one of " + Arrays.toString(values()));
    }
  }

  /** The labels, for help. */
  static final class Labels implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(FlushMode::toString).iterator();
    }
  }
}
