using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// A few steps per optimizer on one parameter, with hyperparameters chosen so the arithmetic can be
/// done by hand (derivations in the comments); checked on both paths in double. Tolerance: every
/// expected value is exact decimal arithmetic (or a closed form evaluated in double); the optimizer
/// rounds its hyperparameters to double and performs fewer than 30 roundings per step, each with
/// relative error u = 2^-53 on a quantity no larger than Scale = |p0| + sum |steps|, so
/// |actual - expected| &lt;= 64 u Scale.
/// </summary>
public class GoldenValueTests
{
    static readonly double U = Bounds.UnitRoundoff<double>();

    static void Steps(IOptimizerOptions options, double p0, (double G, double Lr)[] steps, double[] expected, double scale = 4)
    {
        foreach (var optimizer in new[] { ReferenceOptimizers.For(options), FastOptimizers.For(options) })
        {
            var p = new[] { p0 };
            var s = optimizer.Init<double>(1);
            for (int t = 0; t < steps.Length; t++)
            {
                optimizer.Update(s, p, new[] { steps[t].G }, steps[t].Lr);
                Assert.True(Math.Abs(p[0] - expected[t]) <= 64 * U * scale,
                    $"{optimizer.GetType().Name} {options.Name} step {t + 1}: expected {expected[t]:R}, got {p[0]:R}");
            }
        }
    }

    [Fact]
    public void Sgd_plain_and_weight_decay()
    {
        // p = 1 - 0.1*2 = 0.8; then 0.8 - 0.1*(-1) = 0.9
        Steps(new SgdOptions(), 1, [(2, 0.1), (-1, 0.1)], [0.8, 0.9]);
        // L2: g' = 2 + 0.5*1 = 2.5; p = 1 - 0.1*2.5 = 0.75
        Steps(new SgdOptions { WeightDecay = 0.5 }, 1, [(2, 0.1)], [0.75]);
        // decoupled: p = 1 - (0.1*0.5)*1 = 0.95; p = 0.95 - 0.1*2 = 0.75
        Steps(new SgdOptions { WeightDecay = 0.5, WeightDecayMode = WeightDecayMode.Decoupled }, 1, [(2, 0.1)], [0.75]);
    }

    [Fact]
    public void Sgd_momentum_Keras_and_PyTorch()
    {
        // Keras m=0.5 lr=0.1: v1 = -0.1*2 = -0.2, p1 = 0.8; v2 = 0.5*(-0.2) - 0.1*4 = -0.5, p2 = 0.3
        Steps(new SgdOptions { Momentum = 0.5 }, 1, [(2, 0.1), (4, 0.1)], [0.8, 0.3]);
        // Keras Nesterov: v1 = -0.2, p1 = 1 + (0.5*(-0.2) - 0.2) = 0.7; v2 = -0.5, p2 = 0.7 + (0.5*(-0.5) - 0.4) = 0.05
        Steps(new SgdOptions { Momentum = 0.5, Nesterov = true }, 1, [(2, 0.1), (4, 0.1)], [0.7, 0.05]);
        // PyTorch m=0.5 dampening=0.5: b1 = g1 = 2 (no dampening on step 1), p1 = 1 - 0.1*2 = 0.8;
        // b2 = 0.5*2 + 0.5*4 = 3, p2 = 0.8 - 0.1*3 = 0.5
        Steps(new SgdOptions { Momentum = 0.5, Dampening = 0.5, MomentumForm = MomentumForm.PyTorch }, 1, [(2, 0.1), (4, 0.1)], [0.8, 0.5]);
        // PyTorch Nesterov: b1 = 2, d = 2 + 0.5*2 = 3, p1 = 0.7; b2 = 0.5*2 + 4 = 5, d = 4 + 0.5*5 = 6.5, p2 = 0.7 - 0.65 = 0.05
        Steps(new SgdOptions { Momentum = 0.5, Nesterov = true, MomentumForm = MomentumForm.PyTorch }, 1, [(2, 0.1), (4, 0.1)], [0.7, 0.05]);
    }

    [Fact]
    public void Adagrad_Keras_and_PyTorch()
    {
        // Keras, acc0 = 1.5, eps = 0.25: acc = 1.5 + 2.25 = 3.75, sqrt(3.75 + 0.25) = 2, p1 = 1 - 0.1*1.5/2 = 0.925;
        // acc = 3.75 + 2.25 = 6, sqrt(6.25) = 2.5, p2 = 0.925 - 0.1*1.5/2.5 = 0.865
        Steps(new AdagradOptions { InitialAccumulatorValue = 1.5, Epsilon = 0.25 }, 1, [(1.5, 0.1), (1.5, 0.1)], [0.925, 0.865]);
        // PyTorch, acc0 = 0, eps = 0.5 outside, lr_decay = 1: clr1 = 0.1, acc = 2.25, denom = 1.5 + 0.5 = 2, p1 = 0.925;
        // clr2 = 0.1/(1 + 1*1) = 0.05, acc = 2.25 + 4 = 6.25, denom = 3, p2 = 0.925 - 0.05*2/3 = 0.925 - 1/30
        Steps(new AdagradOptions { InitialAccumulatorValue = 0, Epsilon = 0.5, EpsilonPlacement = EpsilonPlacement.OutsideSqrt, LrDecay = 1 },
            1, [(1.5, 0.1), (2, 0.1)], [0.925, 0.925 - 1.0 / 30]);
    }

    [Fact]
    public void Adadelta()
    {
        // rho = 0.5, eps = 0.25, lr = 1, g = 2: v = 0.5*4 = 2; d = sqrt(0 + 0.25)/sqrt(2 + 0.25)*2 = 0.5/1.5*2 = 2/3;
        // u = 0.5*(4/9) = 2/9; p1 = 1 - 2/3 = 1/3.
        // g = 1: v = 0.5*2 + 0.5*1 = 1.5; d = sqrt(2/9 + 1/4)/sqrt(1.75) = sqrt(17/36)/sqrt(7/4) = sqrt(68/7)/6; p2 = 1/3 - d
        Steps(new AdadeltaOptions { Rho = 0.5, Epsilon = 0.25 }, 1, [(2, 1), (1, 1)], [1.0 / 3, 1.0 / 3 - Math.Sqrt(68.0 / 7) / 6]);
    }

    [Fact]
    public void Rmsprop_variants()
    {
        // Keras plain, rho 0.5, eps 0.25 inside: v = 0.5*4 = 2, q = 2/sqrt(2.25) = 4/3, p1 = 1 - 0.3*4/3 = 0.6
        Steps(new RmspropOptions { Rho = 0.5, Epsilon = 0.25 }, 1, [(2, 0.3)], [0.6]);
        // centered, eps 0.44: v = 2, mg = 0.5*2 = 1, s = 2 - 1 = 1, q = 2/sqrt(1.44) = 2/1.2 = 5/3, p1 = 1 - 0.3*5/3 = 0.5
        Steps(new RmspropOptions { Rho = 0.5, Epsilon = 0.44, Centered = true }, 1, [(2, 0.3)], [0.5]);
        // PyTorch eps outside (0.5), v = 0.5*1 = 0.5 for g = 1... use g = 2: v = 2, q = 2/(sqrt2 + 0.5), p1 = 1 - 0.3*q
        double q = 2 / (Math.Sqrt(2) + 0.5);
        Steps(new RmspropOptions { Rho = 0.5, Epsilon = 0.5, EpsilonPlacement = EpsilonPlacement.OutsideSqrt }, 1, [(2, 0.3)], [1 - 0.3 * q]);
        // Keras momentum 0.5, lr 0.3 then 0.6, g = 2 then 0 (rho 0.5, eps 0.25 inside):
        // b1 = 0.3*4/3 = 0.4, p1 = 0.6; v2 = 1, q2 = 0, b2 = 0.5*0.4 + 0 = 0.2, p2 = 0.4
        Steps(new RmspropOptions { Rho = 0.5, Epsilon = 0.25, Momentum = 0.5 }, 1, [(2, 0.3), (0, 0.6)], [0.6, 0.4]);
        // PyTorch momentum, same: b1 = 4/3, p1 = 1 - 0.3*4/3 = 0.6; b2 = 0.5*4/3 = 2/3, p2 = 0.6 - 0.6*2/3 = 0.2
        Steps(new RmspropOptions { Rho = 0.5, Epsilon = 0.25, Momentum = 0.5, MomentumForm = MomentumForm.PyTorch }, 1, [(2, 0.3), (0, 0.6)], [0.6, 0.2]);
    }

    [Fact]
    public void Adam_eps_hat_Algorithm1_amsgrad_adamw()
    {
        // b1 = 0.5, b2 = 0.75, eps = 1, lr = 0.1. Step 1, g = 2: m = 1, v = 0.25*4 = 1, bc1 = 0.5, bc2 = 0.25.
        //   eps-hat: alpha = 0.1*sqrt(0.25)/0.5 = 0.1, p1 = 1 - 0.1*1/(1 + 1) = 0.95
        // Step 2, g = 1: m = 0.5 + 0.5 = 1, v = 0.75 + 0.25 = 1, bc1 = 0.75, bc2 = 1 - 0.5625 = 0.4375
        //   alpha = 0.1*sqrt(0.4375)/0.75, p2 = 0.95 - alpha/2
        var o = new AdamOptions { Beta1 = 0.5, Beta2 = 0.75, Epsilon = 1 };
        Steps(o, 1, [(2, 0.1), (1, 0.1)], [0.95, 0.95 - 0.1 * Math.Sqrt(0.4375) / 0.75 / 2]);
        // Algorithm 1: p1 = 1 - (0.1/0.5)*1/(1/sqrt(0.25) + 1) = 1 - 0.2/3; p2 = p1 - (0.1/0.75)/(1/sqrt(0.4375) + 1)
        double p1 = 1 - 0.2 / 3;
        Steps(o with { EpsilonMode = AdamEpsilon.PaperAlgorithm1 }, 1, [(2, 0.1), (1, 0.1)],
            [p1, p1 - (0.1 / 0.75) / (1 / Math.Sqrt(0.4375) + 1)]);
        // AMSGrad, g = 2 then 0: step 2 m = 0.5, v = 0.75 < vmax = 1; eps-hat p2 = 0.95 - (0.1*sqrt(0.4375)/0.75)*0.5/(1 + 1)
        // (plain Adam would divide by sqrt(0.75) + 1 instead)
        Steps(o with { Amsgrad = true }, 1, [(2, 0.1), (0, 0.1)], [0.95, 0.95 - 0.1 * Math.Sqrt(0.4375) / 0.75 * 0.25]);
        // AdamW wd = 0.5: p = 1 - 0.1*0.5*1 = 0.95 first, then the Adam step 0.05: p1 = 0.9
        Steps(new AdamWOptions { Beta1 = 0.5, Beta2 = 0.75, Epsilon = 1, WeightDecay = 0.5 }, 1, [(2, 0.1)], [0.9]);
    }

    [Fact]
    public void Adamax_Keras_and_PyTorch()
    {
        // b1 = b2 = 0.5, eps = 0.5, lr = 0.1. Step 1, g = 2: m = 1, bc1 = 0.5.
        //   Keras u = max(0, 2) = 2, p1 = 1 - 0.2*1/(2 + 0.5) = 0.92; PyTorch u = max(0, 2.5) = 2.5, p1 = 0.92.
        // Step 2, g = 0.5: m = 0.5 + 0.25 = 0.75, bc1 = 0.75, lr/bc1 = 2/15.
        //   Keras u = max(1, 0.5) = 1, p2 = 0.92 - (2/15)*0.75/1.5 = 0.92 - 1/15
        //   PyTorch u = max(1.25, 1) = 1.25, p2 = 0.92 - (2/15)*0.75/1.25 = 0.92 - 0.08 = 0.84
        var o = new AdamaxOptions { Beta1 = 0.5, Beta2 = 0.5, Epsilon = 0.5 };
        Steps(o, 1, [(2, 0.1), (0.5, 0.1)], [0.92, 0.92 - 1.0 / 15]);
        Steps(o with { EpsilonMode = AdamaxEpsilon.PyTorchInsideMax }, 1, [(2, 0.1), (0.5, 0.1)], [0.92, 0.84]);
    }

    [Fact]
    public void Nadam_Keras3_and_Keras2_schedules()
    {
        // Keras 3 (0.96^t), b1 = 0.5, b2 = 0.75, eps = 1, lr = 0.1, g = 2:
        // mu1 = 0.5*(1 - 0.5*0.96) = 0.26, mu2 = 0.5*(1 - 0.5*0.9216) = 0.2696, P1 = 0.26
        // m = 1, v = 1, v/bc2 = 1/0.25 = 4; mhat = 0.2696/(1 - 0.26*0.2696)*1 + (1 - 0.26)/(1 - 0.26)*2
        //      = 0.2696/0.929904 + 2; p1 = 1 - 0.1*mhat/(2 + 1)
        double mhat = 0.2696 / 0.929904 + 2;
        Steps(new NadamOptions { Beta1 = 0.5, Beta2 = 0.75, Epsilon = 1, Schedule = NadamSchedule.Keras3 }, 1, [(2, 0.1)], [1 - 0.1 * mhat / 3]);
        // Keras 2 / PyTorch (0.96^(0.004t)): mu1 = 0.5*(1 - 0.5*0.96^0.004), mu2 = 0.5*(1 - 0.5*0.96^0.008)
        double mu1 = 0.5 * (1 - 0.5 * Math.Pow(0.96, 0.004)), mu2 = 0.5 * (1 - 0.5 * Math.Pow(0.96, 0.008));
        double mhat2 = mu2 / (1 - mu1 * mu2) * 1 + 1 * 2;
        Steps(new NadamOptions { Beta1 = 0.5, Beta2 = 0.75, Epsilon = 1 }, 1, [(2, 0.1)], [1 - 0.1 * mhat2 / 3]);
    }

    [Fact]
    public void Radam_unrectified_then_rectified_at_step_6()
    {
        // b2 = 0.9: rho_inf = 2/0.1 - 1 = 19; rho_t = 19 - 2t*0.9^t/(1 - 0.9^t):
        // t = 5: 0.9^5 = 0.59049, rho_5 = 19 - 10*0.59049/0.40951 = 4.580... <= 5 (SGD-like step with bias-corrected m)
        // t = 6: 0.9^6 = 0.531441, rho_6 = 19 - 12*0.531441/0.468559 = 5.3895... > 5
        Assert.Null(Radam.Rectifier(0.9, 5));
        double rho6 = 19 - 12 * 0.531441 / 0.468559;
        double r6 = Math.Sqrt((rho6 - 4) * (rho6 - 2) * 19 / (15.0 * 17 * rho6));
        Assert.InRange(Radam.Rectifier(0.9, 6)!.Value, r6 - 8 * U, r6 + 8 * U);
        // Step 1 with b1 = 0.5, g = 2: m = 1, bc1 = 0.5, p1 = 1 - (0.1/0.5)*1 = 0.8 (= p - lr*g)
        Steps(new RadamOptions { Beta1 = 0.5, Beta2 = 0.9 }, 1, [(2, 0.1)], [0.8]);
        // Six steps of g = 1, b1 = 0.5, eps = 1: steps 1..5 move by lr*m/bc1 = lr*1 (m = 1 - 0.5^t = bc1);
        // step 6: m = bc1, v = 1 - 0.9^6 = bc2, p6 = p5 - lr*r6*sqrt(bc2)/bc1 * bc1/(sqrt(bc2) + 1)
        double bc2 = 0.468559, p5 = 1 - 0.5;
        Steps(new RadamOptions { Beta1 = 0.5, Beta2 = 0.9, Epsilon = 1 }, 1,
            [(1, 0.1), (1, 0.1), (1, 0.1), (1, 0.1), (1, 0.1), (1, 0.1)],
            [0.9, 0.8, 0.7, 0.6, p5, p5 - 0.1 * r6 * Math.Sqrt(bc2) / (Math.Sqrt(bc2) + 1)]);
    }

    [Fact]
    public void Lion_moves_by_lr_times_the_sign_of_the_interpolation()
    {
        // b1 = 0.5, b2 = 0.75, lr = 0.1, p0 = 1, m0 = 0 (every intermediate is a short binary fraction: exact).
        // t=1 g=2:        c = 0.5*0 + 0.5*2 = 1 > 0            p = 1 - 0.1 = 0.9;   m = 0.25*2 = 0.5
        // t=2 g=-1:       c = 0.25 - 0.5 = -0.25 < 0           p = 0.9 + 0.1 = 1;   m = 0.375 - 0.25 = 0.125
        // t=3 g=-0.25:    c = 0.0625 - 0.125 = -0.0625 < 0     p = 1.1;             m = 0.09375 - 0.0625 = 0.03125
        // t=4 g=-0.03125: c = 0.015625 - 0.015625 = 0          p = 1.1 (sign 0);    m = 0.0234375 - 0.0078125 = 0.015625
        // The gradient's size never matters: t=1 moves by lr for g = 2 as it would for g = 2e-9.
        var lion = new LionOptions { Beta1 = 0.5, Beta2 = 0.75 };
        Steps(lion, 1, [(2, 0.1), (-1, 0.1), (-0.25, 0.1), (-0.03125, 0.1)], [0.9, 1.0, 1.1, 1.1]);
        foreach (var optimizer in new[] { ReferenceOptimizers.For(lion), FastOptimizers.For(lion) })
        {
            var p = new[] { 1.0 };
            var s = optimizer.Init<double>(1);
            foreach (double g in new[] { 2, -1, -0.25, -0.03125 }) optimizer.Update(s, p, new[] { g }, 0.1);
            Assert.Equal(0.015625, s.Slot("m").Span[0]);
        }
        // With wd = 0.5 (inside the step, as the paper): t=1 u = 1 + 0.5*1 = 1.5, p = 1 - 0.15 = 0.85;
        // t=2 c = -0.25, u = -1 + 0.5*0.85 = -0.575, p = 0.85 + 0.0575 = 0.9075.
        Steps(lion with { WeightDecay = 0.5 }, 1, [(2, 0.1), (-1, 0.1)], [0.85, 0.9075]);
    }
}
