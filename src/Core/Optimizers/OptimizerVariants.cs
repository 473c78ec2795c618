namespace NetNumerics.Optimizers;

// Where Keras and PyTorch define the same method differently, the choice is a named option.
// Defaults follow the seed articles' Keras forms; docs/articles/porting-from-pytorch.md maps each option to torch's form.

/// <summary>How momentum and the learning rate combine (SGD and RMSprop).</summary>
public enum MomentumForm
{
    /// <summary>
    /// Keras (and Sutskever et al. 2013): the learning rate is inside the buffer,
    /// <c>v = m*v - lr*g; p = p + v</c>. Each gradient keeps the lr it was added with. Default.
    /// </summary>
    Keras = 0,

    /// <summary>
    /// PyTorch <c>torch/optim/sgd.py</c>: <c>b = m*b + (1-dampening)*g</c> (b = g on the first step);
    /// <c>p = p - lr*b</c>. The whole buffer is scaled by the current lr. Equal to Keras in exact
    /// arithmetic (<c>v = -lr*b</c>) only while lr is constant.
    /// </summary>
    PyTorch = 1,
}

/// <summary>Where epsilon goes relative to the square root (Adagrad, RMSprop).</summary>
public enum EpsilonPlacement
{
    /// <summary>Keras 3: <c>g / sqrt(acc + eps)</c>. Default.</summary>
    InsideSqrt = 0,

    /// <summary>PyTorch (and Keras 2 RMSprop): <c>g / (sqrt(acc) + eps)</c>.</summary>
    OutsideSqrt = 1,
}

/// <summary>Which of the two epsilons of the Adam paper (Kingma &amp; Ba 2015) is used.</summary>
public enum AdamEpsilon
{
    /// <summary>
    /// Keras ("epsilon hat", the formulation just before section 2.1 of the paper):
    /// <c>alpha = lr*sqrt(1-b2^t)/(1-b1^t); p = p - alpha * m/(sqrt(v) + eps)</c>.
    /// eps sits on the uncorrected sqrt(v). Default.
    /// </summary>
    KerasEpsilonHat = 0,

    /// <summary>
    /// PyTorch / Optax (Algorithm 1 of the paper): <c>p = p - lr/(1-b1^t) * m/(sqrt(v)/sqrt(1-b2^t) + eps)</c>.
    /// eps sits on the bias-corrected sqrt(v); equals eps-hat with <c>eps_hat = eps*sqrt(1-b2^t)</c>.
    /// </summary>
    PaperAlgorithm1 = 1,
}

/// <summary>Where AdaMax's epsilon goes.</summary>
public enum AdamaxEpsilon
{
    /// <summary>Keras 3: <c>u = max(b2*u, |g|); p = p - lr/(1-b1^t) * m/(u + eps)</c>. Default.</summary>
    KerasOutsideMax = 0,

    /// <summary>PyTorch / Optax: <c>u = max(b2*u, |g| + eps); p = p - lr/(1-b1^t) * m/u</c>.</summary>
    PyTorchInsideMax = 1,
}

/// <summary>Nadam's momentum schedule <c>mu_t = b1*(1 - 0.5*0.96^(t*d))</c>.</summary>
public enum NadamSchedule
{
    /// <summary>Keras 2 (<c>schedule_decay=0.004</c>) and PyTorch (<c>momentum_decay=4e-3</c>): d = 0.004, warm-up over ~25,000 steps. Default (seed articles are Keras 2).</summary>
    Keras2PyTorch = 0,

    /// <summary>Keras 3 <c>nadam.py</c>: d = 1, i.e. <c>0.96^t</c>, warm-up over ~100 steps.</summary>
    Keras3 = 1,
}

/// <summary>How weight decay enters the update.</summary>
public enum WeightDecayMode
{
    /// <summary>L2 penalty added to the gradient before the update, <c>g = g + wd*p</c> (PyTorch <c>weight_decay</c>). Default except AdamW.</summary>
    L2 = 0,

    /// <summary>Decoupled (Loshchilov &amp; Hutter 2019; Keras 3 <c>_apply_weight_decay</c>): <c>p = p - (lr*wd)*p</c> before the update.</summary>
    Decoupled = 1,
}
