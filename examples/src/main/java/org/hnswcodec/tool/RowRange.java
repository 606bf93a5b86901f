package org.hnswcodec.tool;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A half-open range of rows {@code [start, end)} of a vector file, written {@code START:END} with
 * either end optional ({@code 100:}, {@code :50}), or a single row {@code N}.
 */
record RowRange(long start, long end) {

  /** Every row. */
  static final RowRange ALL = new RowRange(0, Long.MAX_VALUE);

  RowRange {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("empty or negative row range " + start + ":" + end);
    }
  }

  /** Parses {@code START:END}, {@code START:}, {@code :END} or {@code N}. */
  static RowRange parse(String text) {
    String s = text.strip();
    int colon = s.indexOf(':');
    try {
      if (colon < 0) {
        long row = Long.parseLong(s);
        return new RowRange(row, row + 1);
      }
      String from = s.substring(0, colon).strip();
      String to = s.substring(colon + 1).strip();
      long start = from.isEmpty() ? 0 : Long.parseLong(from);
      long end = to.isEmpty() ? Long.MAX_VALUE : Long.parseLong(to);
      if (start < 0 || end <= start) {
        throw new IllegalArgumentException(
            "'" + text + "' is empty or negative: START must be >= 0 and below END");
      }
      return new RowRange(start, end);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a row range: expected START:END, START:, :END or N");
    }
  }

  /**
   * This range within a file of {@code total} rows.
   *
   * @throws InputException if the range starts past the file's end
   */
  RowRange within(long total, String file) {
    if (start >= total) {
      throw new InputException(
          file + " has " + total + " rows; the row range starts at row " + start);
    }
    return new RowRange(start, Math.min(end, total));
  }

  /** Number of rows in the range. */
  long size() {
    return end - start;
  }

  @Override
  public String toString() {
    return start + ":" + (end == Long.MAX_VALUE ? "" : end);
  }

  /** Converts the value of a {@code --rows} option. */
  static final class Converter implements ITypeConverter<RowRange> {
    @Override
    public RowRange convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
