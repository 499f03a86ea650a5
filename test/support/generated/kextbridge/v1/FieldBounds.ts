// Original file: proto/kextbridge/v1/options.proto


/**
 * Bounds of a field for the kext's C generator: the generated decoder
 * refuses a longer value (INVALID_ARGUMENT, naming the field) and the
 * encoder will not write one, so every buffer size is known at build time.
 */
export interface FieldBounds {
  /**
   * string and bytes: the longest value, in bytes.
   */
  'maxLen'?: (number);
}

/**
 * Bounds of a field for the kext's C generator: the generated decoder
 * refuses a longer value (INVALID_ARGUMENT, naming the field) and the
 * encoder will not write one, so every buffer size is known at build time.
 */
export interface FieldBounds__Output {
  /**
   * string and bytes: the longest value, in bytes.
   */
  'maxLen': (number);
}
