/// <summary>
/// The paper's algorithm written literally, one scalar at a time, as the reference the engine must
/// reproduce: batch loss = mean of f_i over the batch before the update, gradient = mean of the f_i
/// gradients, then the hand-written Adam or RMSProp update of the paper's replication code.
/// </summary>
static class PaperLoop
{
    public static double[] Losses(Experiment x)
    {
        var p = (QuadraticProblem)x.Problem;
        var data = QuadraticData.Draw(p, x.Seed);
        var order = new SampleOrder(x.Sampler, p.N, x.BatchSize, Rng.For(x.Seed, "sampler"));
        var theta = Enumerable.Repeat(p.X0, p.D).ToArray();
        var m = new double[p.D];
        var v = new double[p.D];
        var losses = new List<double>();
        int t = 0;
        for (int epoch = 0; epoch < x.Epochs; epoch++)
        {
            foreach (var batch in order.NextEpoch(epoch))
            {
                t++;
                var grad = new double[p.D];
                double loss = 0;
                foreach (int i in batch)
                {
                    double r = theta[data.Dim[i]] - data.C[i];
                    loss += data.A[i] * r * r + data.B[i];
                    grad[data.Dim[i]] += 2 * data.A[i] * r;
                }
                losses.Add(loss / batch.Length);
                for (int j = 0; j < p.D; j++)
                {
                    double g = grad[j] / batch.Length;
                    switch (x.Optimizer)
                    {
                        case Adam a:
                            m[j] = a.Beta1 * m[j] + (1 - a.Beta1) * g;
                            v[j] = a.Beta2 * v[j] + (1 - a.Beta2) * g * g;
                            double mHat = m[j] / (1 - Math.Pow(a.Beta1, t));
                            double vHat = v[j] / (1 - Math.Pow(a.Beta2, t));
                            theta[j] -= a.Lr * mHat / (Math.Sqrt(vHat) + a.Eps);
                            break;
                        case RmsProp r:
                            v[j] = r.Beta * v[j] + (1 - r.Beta) * g * g;
                            theta[j] -= r.Lr * g / (Math.Sqrt(v[j]) + r.Eps);
                            break;
                        default:
                            throw new NotSupportedException($"the paper's loop has no {x.Optimizer.Name}");
                    }
                }
            }
        }
        return losses.ToArray();
    }
}
