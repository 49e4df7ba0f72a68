namespace Esp;

/// <summary>Element type of a problem's parameters and coefficients. The paper computes in float64.</summary>
public enum Precision { Float64, Float32 }
