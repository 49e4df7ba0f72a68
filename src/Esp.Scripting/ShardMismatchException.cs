namespace Esp.Scripting;

/// <summary>Shards that cannot be merged into one result (missing, duplicated, from another script or arguments): the
/// message names them and the fix; the merge writes nothing.</summary>
public sealed class ShardMismatchException(string message) : Exception(message);
