// Paper figure 16: the three-dimensional example. With grad l^b = (2, 1, 2), m_hat = (8, -1, -2),
// v_prev = (1, 1e-4, 1) and g^2 = (1, 4, 1e-4), the step direction is dtheta(beta2) = m_hat / sqrt(beta2 v_prev +
// (1 - beta2) g^2). cos(grad l^b, dtheta) against beta2 in 0..1 (step 0.01) is n-shaped: negative at both ends,
// positive in the middle. No training runs here: only this arithmetic.
double[] gradB = { 2, 1, 2 }, mHat = { 8, -1, -2 }, vPrev = { 1, 1e-4, 1 }, gSquared = { 1, 4, 1e-4 };
double[] Step(double beta2) => Enumerable.Range(0, 3).Select(i => mHat[i] / Math.Sqrt(beta2 * vPrev[i] + (1 - beta2) * gSquared[i])).ToArray();
double Cosine(double[] a, double[] b) =>
    a.Zip(b, (x, y) => x * y).Sum() / Math.Sqrt(a.Sum(x => x * x) * b.Sum(y => y * y));

var beta2s = Enumerable.Range(0, 101).Select(k => k / 100.0).ToArray();
var cosines = beta2s.Select(b2 => Cosine(gradB, Step(b2))).ToArray();
var steps = beta2s.Select(Step).Select(d => (d[0], d[1], d[2])).ToList();

Charts.Lines("Figure 16: cos(grad l^b, dtheta(beta2))", "beta2", "cosine", new[] { new Curve("cosine", beta2s, cosines, Markers: true) })
    .And(Charts.Path3D("dtheta(beta2) for beta2 = 0 .. 1", "dtheta", steps))
    .Save("fig16");
Csv.Save(Frame.FromColumns(new Dictionary<string, Series<int, double>>
{
    ["beta2"] = new Series<int, double>(Enumerable.Range(0, 101), beta2s),
    ["cosine"] = new Series<int, double>(Enumerable.Range(0, 101), cosines),
}), "cosine.csv");

int peak = Array.IndexOf(cosines, cosines.Max());
Console.WriteLine($"cosine at beta2 = 0: {cosines[0]:F4}; maximum {cosines[peak]:F4} at beta2 = {beta2s[peak]}; at beta2 = 1: {cosines[^1]:F4}");
var positive = beta2s.Where((_, k) => cosines[k] > 0).ToArray();
Console.WriteLine(positive.Length == 0 ? "the cosine is never positive"
    : $"positive for beta2 in [{positive.First()}, {positive.Last()}]");
