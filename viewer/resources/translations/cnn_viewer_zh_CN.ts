<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ArchitecturePanel</name>
    <message>
        <source>Block</source>
        <translation>结构图</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
</context>
<context>
    <name>ArchitectureTree</name>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Output (C x H x W)</source>
        <translation>输出 (C x H x W)</translation>
    </message>
    <message>
        <source>conv 1x1</source>
        <translation>1x1 卷积</translation>
    </message>
    <message>
        <source>batch norm</source>
        <translation>批量归一化</translation>
    </message>
</context>
<context>
    <name>BatchNormView</name>
    <message>
        <source>Select a batch-norm layer (bn1, bn2, downsample.1 ...) in the tree.</source>
        <translation>在树中选择一个批量归一化层（bn1、bn2、downsample.1 ……）。</translation>
    </message>
    <message>
        <source>channel </source>
        <translation>通道 </translation>
    </message>
    <message>
        <source>eval (running statistics)</source>
        <translation>评估（滑动统计量）</translation>
    </message>
    <message>
        <source>train (this image&apos;s statistics)</source>
        <translation>训练（本图像的统计量）</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <source>Distribution of one channel</source>
        <translation>单个通道的分布</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>input (conv output)</source>
        <translation>输入（卷积输出）</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Learned gamma and beta</source>
        <translation>学到的 gamma 和 beta</translation>
    </message>
    <message>
        <source>Mean: running vs this image</source>
        <translation>均值：滑动统计 vs 本图像</translation>
    </message>
    <message>
        <source>running</source>
        <translation>滑动统计</translation>
    </message>
    <message>
        <source>this image</source>
        <translation>本图像</translation>
    </message>
    <message>
        <source>Variance: running vs this image</source>
        <translation>方差：滑动统计 vs 本图像</translation>
    </message>
    <message>
        <source>channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: y = gamma (x - mean) / sqrt(var + eps) + beta, {1} channels</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：y = gamma (x - mean) / sqrt(var + eps) + beta，{1} 个通道</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>eval</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>&lt;h3&gt;channel {0}&lt;/h3&gt;&lt;table cellspacing=4&gt;&lt;tr&gt;&lt;td&gt;&lt;/td&gt;&lt;td&gt;&lt;b&gt;running&lt;/b&gt;&lt;/td&gt;&lt;td&gt;&lt;b&gt;this image&lt;/b&gt;&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;mean&lt;/td&gt;&lt;td&gt;{1:.4g}&lt;/td&gt;&lt;td&gt;{2:.4g}&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;variance&lt;/td&gt;&lt;td&gt;{3:.4g}&lt;/td&gt;&lt;td&gt;{4:.4g}&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;p&gt;gamma = {5:.4g}, beta = {6:.4g}, eps = {7:g}&lt;/p&gt;&lt;p&gt;Output in &lt;b&gt;{8}&lt;/b&gt; mode: mean {9:.3f}, std {10:.3f}.&lt;/p&gt;&lt;p&gt;In train mode batch norm uses this image&apos;s own statistics, so every channel comes out with mean beta and standard deviation gamma; in eval mode it uses the running statistics gathered during training.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;通道 {0}&lt;/h3&gt;&lt;table cellspacing=4&gt;&lt;tr&gt;&lt;td&gt;&lt;/td&gt;&lt;td&gt;&lt;b&gt;滑动统计&lt;/b&gt;&lt;/td&gt;&lt;td&gt;&lt;b&gt;本图像&lt;/b&gt;&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;均值&lt;/td&gt;&lt;td&gt;{1:.4g}&lt;/td&gt;&lt;td&gt;{2:.4g}&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;方差&lt;/td&gt;&lt;td&gt;{3:.4g}&lt;/td&gt;&lt;td&gt;{4:.4g}&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;p&gt;gamma = {5:.4g}，beta = {6:.4g}，eps = {7:g}&lt;/p&gt;&lt;p&gt;&lt;b&gt;{8}&lt;/b&gt;模式下的输出：均值 {9:.3f}，标准差 {10:.3f}。&lt;/p&gt;&lt;p&gt;训练模式下，批量归一化使用本图像自己的统计量，因此每个通道输出的均值为 beta、标准差为 gamma；评估模式下，它使用训练期间累积的滑动统计量。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>BlockCanvas</name>
    <message>
        <source>Select a residual block or one of its layers in the tree.</source>
        <translation>在树中选择一个残差块或其中的一层。</translation>
    </message>
    <message>
        <source>{0}: row {1}, column {2} = {3:.4g}</source>
        <translation>{0}：第 {1} 行，第 {2} 列 = {3:.4g}</translation>
    </message>
</context>
<context>
    <name>BlockCode</name>
    <message>
        <source>Select a residual block to see its layers as code</source>
        <translation>选择一个残差块，查看其各层的代码</translation>
    </message>
</context>
<context>
    <name>BlockDiagram</name>
    <message>
        <source>identity</source>
        <translation>恒等映射</translation>
    </message>
    <message>
        <source>stride</source>
        <translation>步长</translation>
    </message>
    <message>
        <source>Select a residual block</source>
        <translation>请选择一个残差块</translation>
    </message>
    <message>
        <source>then ReLU</source>
        <translation>再经 ReLU</translation>
    </message>
    <message>
        <source>bottleneck</source>
        <translation>瓶颈结构</translation>
    </message>
    <message>
        <source>building block</source>
        <translation>构建块</translation>
    </message>
</context>
<context>
    <name>BlockDissection</name>
    <message>
        <source>x = input ({0})</source>
        <translation>x = 输入（{0}）</translation>
    </message>
    <message>
        <source>{0} (ch {1} of {2})</source>
        <translation>{0}（通道 {1}/{2}）</translation>
    </message>
    <message>
        <source>{0} to {1}</source>
        <translation>{0} 至 {1}</translation>
    </message>
    <message>
        <source>Select a residual block (layer1.0 ...) or one of its layers in the tree.</source>
        <translation>在树中选择一个残差块（layer1.0 ……）或其中的一层。</translation>
    </message>
    <message>
        <source>channel </source>
        <translation>通道 </translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: output = ReLU(F(x) + shortcut(x)), one channel. Top: x and the residual branch F step by step; bottom: the shortcut and the sum.</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：输出 = ReLU(F(x) + shortcut(x))，显示一个通道。上方：x 与残差分支 F 的逐步计算；下方：捷径分支与求和。</translation>
    </message>
    <message>
        <source>‖F(x)‖ / ‖shortcut‖
= {0:.3f}</source>
        <translation>‖F(x)‖ / ‖捷径‖
= {0:.3f}</translation>
    </message>
    <message>
        <source>channel {0}; {1:.3f} over all channels</source>
        <translation>通道 {0}；全部通道为 {1:.3f}</translation>
    </message>
    <message>
        <source>||F(x)|| / ||shortcut(x)|| = &lt;b&gt;{0:.3f}&lt;/b&gt; over all channels, {1:.3f} for channel {2}. Small: the block stays close to the identity.</source>
        <translation>||F(x)|| / ||捷径(x)||：全部通道为 &lt;b&gt;{0:.3f}&lt;/b&gt;，通道 {2} 为 {1:.3f}。比值小：该块接近恒等映射。</translation>
    </message>
    <message>
        <source>shortcut: 1x1 conv + BN</source>
        <translation>捷径：1x1 卷积 + BN</translation>
    </message>
    <message>
        <source>shortcut: identity</source>
        <translation>捷径：恒等映射</translation>
    </message>
    <message>
        <source>F(x) + shortcut</source>
        <translation>F(x) + 捷径</translation>
    </message>
    <message>
        <source>output = ReLU(sum)</source>
        <translation>输出 = ReLU(和)</translation>
    </message>
</context>
<context>
    <name>ChannelView</name>
    <message>
        <source>Overlay on the input (upsampled)</source>
        <translation>叠加在输入上（上采样）</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>pixels</source>
        <translation>像素</translation>
    </message>
    <message>
        <source>Send to pooling lab</source>
        <translation>发送到池化实验</translation>
    </message>
    <message>
        <source>Step this kernel</source>
        <translation>逐步演示该卷积核</translation>
    </message>
    <message>
        <source>Open the convolution lab with this layer&apos;s real kernel over its real input</source>
        <translation>在卷积实验中打开：用该层真实的卷积核滑过它真实的输入</translation>
    </message>
    <message>
        <source>Export PNG...</source>
        <translation>导出 PNG...</translation>
    </message>
    <message>
        <source>Export as NumPy (.npy)...</source>
        <translation>导出为 NumPy (.npy)...</translation>
    </message>
    <message>
        <source>Save the node&apos;s tensor: every channel, the exact values, batch dimension included</source>
        <translation>保存该节点的张量：全部通道、精确数值，包含批次维度</translation>
    </message>
    <message>
        <source>Click a pixel of the map to outline, on the input, the region that can influence it.</source>
        <translation>点击特征图上的一个像素，在输入上勾出能影响它的区域。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Statistics of this channel&lt;/b&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;min&lt;/td&gt;&lt;td align=right&gt;{0:.4g}&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;max&lt;/td&gt;&lt;td align=right&gt;{1:.4g}&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;mean&lt;/td&gt;&lt;td align=right&gt;{2:.4g}&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;std&lt;/td&gt;&lt;td align=right&gt;{3:.4g}&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;zeros (&amp;le; 0)&lt;/td&gt;&lt;td align=right&gt;{4:.1%}&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;size&lt;/td&gt;&lt;td align=right&gt;{5} x {6}&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;b&gt;本通道的统计量&lt;/b&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;最小值&lt;/td&gt;&lt;td align=right&gt;{0:.4g}&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;最大值&lt;/td&gt;&lt;td align=right&gt;{1:.4g}&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;均值&lt;/td&gt;&lt;td align=right&gt;{2:.4g}&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;标准差&lt;/td&gt;&lt;td align=right&gt;{3:.4g}&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;零值 (&amp;le; 0)&lt;/td&gt;&lt;td align=right&gt;{4:.1%}&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;尺寸&lt;/td&gt;&lt;td align=right&gt;{5} x {6}&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
    <message>
        <source>row {0}, column {1}: {2:.5g}</source>
        <translation>第 {0} 行，第 {1} 列：{2:.5g}</translation>
    </message>
</context>
<context>
    <name>ConvControls</name>
    <message>
        <source>Identity</source>
        <translation>恒等</translation>
    </message>
    <message>
        <source>Copies the input: 1 in the centre, 0 elsewhere.</source>
        <translation>复制输入：中心为 1，其余为 0。</translation>
    </message>
    <message>
        <source>Box blur</source>
        <translation>均值模糊</translation>
    </message>
    <message>
        <source>The mean of the window: smooths noise and edges.</source>
        <translation>窗口内的均值：平滑噪声和边缘。</translation>
    </message>
    <message>
        <source>Gaussian blur</source>
        <translation>高斯模糊</translation>
    </message>
    <message>
        <source>A weighted mean, heavier in the centre: a softer blur.</source>
        <translation>中心权重更大的加权平均：更柔和的模糊。</translation>
    </message>
    <message>
        <source>Sharpen</source>
        <translation>锐化</translation>
    </message>
    <message>
        <source>Adds the difference to the neighbours: edges get crisper.</source>
        <translation>加上与相邻像素的差：边缘更清晰。</translation>
    </message>
    <message>
        <source>Sobel x</source>
        <translation>Sobel x</translation>
    </message>
    <message>
        <source>Horizontal gradient: responds to vertical edges.</source>
        <translation>水平梯度：响应竖直边缘。</translation>
    </message>
    <message>
        <source>Sobel y</source>
        <translation>Sobel y</translation>
    </message>
    <message>
        <source>Vertical gradient: responds to horizontal edges.</source>
        <translation>竖直梯度：响应水平边缘。</translation>
    </message>
    <message>
        <source>Prewitt x</source>
        <translation>Prewitt x</translation>
    </message>
    <message>
        <source>Like Sobel x with equal row weights.</source>
        <translation>类似 Sobel x，但各行权重相同。</translation>
    </message>
    <message>
        <source>Prewitt y</source>
        <translation>Prewitt y</translation>
    </message>
    <message>
        <source>Like Sobel y with equal column weights.</source>
        <translation>类似 Sobel y，但各列权重相同。</translation>
    </message>
    <message>
        <source>Laplacian</source>
        <translation>拉普拉斯</translation>
    </message>
    <message>
        <source>Second derivative: fires on edges in every direction.</source>
        <translation>二阶导数：对各个方向的边缘都有响应。</translation>
    </message>
    <message>
        <source>Emboss</source>
        <translation>浮雕</translation>
    </message>
    <message>
        <source>A diagonal gradient plus the input: a relief effect.</source>
        <translation>对角梯度加上输入：浮雕效果。</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>轮廓</translation>
    </message>
    <message>
        <source>Centre minus all neighbours: outlines every edge.</source>
        <translation>中心减去所有相邻像素：勾出每条边缘。</translation>
    </message>
    <message>
        <source>Random (seeded)</source>
        <translation>随机（固定种子）</translation>
    </message>
    <message>
        <source>Random weights, as a freshly initialised layer has.</source>
        <translation>随机权重，如同刚初始化的层。</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Your own weights, typed cell by cell.</source>
        <translation>你自己的权重，逐格输入。</translation>
    </message>
    <message>
        <source>Image: luminance</source>
        <translation>图像：亮度</translation>
    </message>
    <message>
        <source>Image: red</source>
        <translation>图像：红色</translation>
    </message>
    <message>
        <source>Image: green</source>
        <translation>图像：绿色</translation>
    </message>
    <message>
        <source>Image: blue</source>
        <translation>图像：蓝色</translation>
    </message>
    <message>
        <source>Image: all three channels</source>
        <translation>图像：全部三个通道</translation>
    </message>
    <message>
        <source>Numeric matrix</source>
        <translation>数值矩阵</translation>
    </message>
    <message>
        <source>Custom input</source>
        <translation>自定义输入</translation>
    </message>
    <message>
        <source>Course example 1 (stride 2 → 2x2)</source>
        <translation>课程示例 1（步长 2 → 2x2）</translation>
    </message>
    <message>
        <source>Course example 2 (padding → 5x5)</source>
        <translation>课程示例 2（填充 → 5x5）</translation>
    </message>
    <message>
        <source>Other padding bottom/right</source>
        <translation>下/右侧使用不同的填充</translation>
    </message>
    <message>
        <source>Pad the bottom and right sides by other amounts than the top and left, as MindSpore&apos;s pad_mode=&quot;same&quot; does when the padding is odd</source>
        <translation>下侧和右侧的填充量与上侧和左侧不同，就像填充总量为奇数时 MindSpore 的 pad_mode=&quot;same&quot; 所做的那样</translation>
    </message>
    <message>
        <source>zeros</source>
        <translation>零</translation>
    </message>
    <message>
        <source>reflect</source>
        <translation>反射</translation>
    </message>
    <message>
        <source>replicate</source>
        <translation>复制边缘</translation>
    </message>
    <message>
        <source>circular</source>
        <translation>循环</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>行</translation>
    </message>
    <message>
        <source>cols</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>rows (h)</source>
        <translation>行 (h)</translation>
    </message>
    <message>
        <source>columns (w)</source>
        <translation>列 (w)</translation>
    </message>
    <message>
        <source>Padding per side</source>
        <translation>每侧填充</translation>
    </message>
    <message>
        <source>Padding bottom, right</source>
        <translation>下、右填充</translation>
    </message>
    <message>
        <source>Kernel size</source>
        <translation>卷积核大小</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>步长</translation>
    </message>
    <message>
        <source>Dilation</source>
        <translation>膨胀率</translation>
    </message>
    <message>
        <source>Padding mode</source>
        <translation>填充方式</translation>
    </message>
    <message>
        <source>Bias</source>
        <translation>偏置</translation>
    </message>
    <message>
        <source>Padding top, left</source>
        <translation>上、左填充</translation>
    </message>
    <message>
        <source>Not a number float32 can hold (at most about ±3.4e38): counted as 0.</source>
        <translation>float32 无法表示该数（最大约 ±3.4e38）：按 0 计。</translation>
    </message>
</context>
<context>
    <name>ConvLabPage</name>
    <message>
        <source>Slide the kernel over the current image instead</source>
        <translation>改为让卷积核滑过当前图像</translation>
    </message>
    <message>
        <source>channel shown: </source>
        <translation>显示的通道：</translation>
    </message>
    <message>
        <source>Frame (PNG)…</source>
        <translation>当前帧 (PNG)…</translation>
    </message>
    <message>
        <source>Save the lab as it is now, as a PNG</source>
        <translation>将实验的当前画面保存为 PNG</translation>
    </message>
    <message>
        <source>Steps so far (GIF)…</source>
        <translation>已演示的步骤 (GIF)…</translation>
    </message>
    <message>
        <source>Save the steps up to the current one as an animated GIF for slides</source>
        <translation>将到当前为止的步骤保存为动画 GIF，用于幻灯片</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>卷积</translation>
    </message>
    <message>
        <source>{0} is ready: “Use the image” slides the kernel over it.</source>
        <translation>{0} 已就绪：“使用图像”会让卷积核滑过它。</translation>
    </message>
    <message>
        <source>Computing the {0}×{1} feature map…</source>
        <translation>正在计算 {0}×{1} 的特征图…</translation>
    </message>
    <message>
        <source>The convolution failed: {0}</source>
        <translation>卷积失败：{0}</translation>
    </message>
    <message>
        <source>Use the image: {0} ({1}×{2})</source>
        <translation>使用图像：{0}（{1}×{2}）</translation>
    </message>
    <message>
        <source>Slide the kernel over {0} instead</source>
        <translation>改为让卷积核滑过 {0}</translation>
    </message>
    <message>
        <source>Course example 1: 5x5, 3x3, stride 2, no padding</source>
        <translation>课程示例 1：输入 5x5，卷积核 3x3，步长 2，无填充</translation>
    </message>
    <message>
        <source>Course example 2: 5x5, 3x3, stride 1, padding 1 per side (p = 2)</source>
        <translation>课程示例 2：输入 5x5，卷积核 3x3，步长 1，每侧填充 1（p = 2）</translation>
    </message>
    <message>
        <source>Custom input: {0}</source>
        <translation>自定义输入：{0}</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>Open an image, or pick the numeric matrix.</source>
        <translation>请打开一张图像，或选择数值矩阵。</translation>
    </message>
    <message>
        <source>impossible</source>
        <translation>不可能</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>行</translation>
    </message>
    <message>
        <source>cols</source>
        <translation>列</translation>
    </message>
    <message>
        <source>PyTorch, padding before + after</source>
        <translation>PyTorch，前 + 后填充</translation>
    </message>
    <message>
        <source>Course, p = p₁ + p₂</source>
        <translation>课程，p = p₁ + p₂</translation>
    </message>
    <message>
        <source>PyTorch, p per side</source>
        <translation>PyTorch，每侧 p</translation>
    </message>
    <message>
        <source>Course, p = 2 × p per side</source>
        <translation>课程，p = 2 × 每侧 p</translation>
    </message>
    <message>
        <source>No steps: see the explanation on the left.</source>
        <translation>没有步骤：见左侧的说明。</translation>
    </message>
    <message>
        <source>Padded input {0}x{1} (padding tinted blue)</source>
        <translation>填充后的输入 {0}x{1}（填充部分为蓝色）</translation>
    </message>
    <message>
        <source>Output feature map {0}x{1}</source>
        <translation>输出特征图 {0}x{1}</translation>
    </message>
    <message>
        <source>channel {0} of {1}</source>
        <translation>通道 {0}/{1}</translation>
    </message>
    <message>
        <source>sum over {0} channels</source>
        <translation>对 {0} 个通道求和</translation>
    </message>
    <message>
        <source>… ({0} more terms, {1} of them 0)</source>
        <translation>……（还有 {0} 项，其中 {1} 项为 0）</translation>
    </message>
    <message>
        <source>Step {0} of {1}: output cell (row {2}, col {3}), window at ({4}, {5})</source>
        <translation>第 {0}/{1} 步：输出单元（第 {2} 行，第 {3} 列），窗口位于 ({4}, {5})</translation>
    </message>
    <message>
        <source>Input cell ({0}, {1}) feeds {2} output cell(s).</source>
        <translation>输入单元 ({0}, {1}) 参与 {2} 个输出单元的计算。</translation>
    </message>
    <message>
        <source>Could not write {0}: check that the folder can be written to.</source>
        <translation>无法写入 {0}：请检查该文件夹是否可写。</translation>
    </message>
    <message>
        <source>Wrote {0}.</source>
        <translation>已写入 {0}。</translation>
    </message>
    <message>
        <source>Nothing to export: the current settings give no output.</source>
        <translation>没有可导出的内容：当前设置没有输出。</translation>
    </message>
    <message>
        <source>Writing {0} ({1} frames)…</source>
        <translation>正在写入 {0}（{1} 帧）…</translation>
    </message>
    <message>
        <source>Wrote {0} ({1} frames).</source>
        <translation>已写入 {0}（{1} 帧）。</translation>
    </message>
    <message>
        <source>Could not write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message>
        <source>Export frame</source>
        <translation>导出当前帧</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Export GIF</source>
        <translation>导出 GIF</translation>
    </message>
    <message>
        <source>GIF animations (*.gif)</source>
        <translation>GIF 动画 (*.gif)</translation>
    </message>
</context>
<context>
    <name>ConvShiftPanel</name>
    <message>
        <source>Feature map</source>
        <translation>特征图</translation>
    </message>
    <message>
        <source>Feature map of the input shifted by ({0}, {1})</source>
        <translation>输入平移 ({0}, {1}) 后的特征图</translation>
    </message>
    <message>
        <source>No aligned difference</source>
        <translation>无对齐差值</translation>
    </message>
    <message>
        <source>The stride ({0}, {1}) does not divide the shift ({2}, {3}): the shifted map&apos;s samples fall between the unshifted map&apos;s, so the two cannot be aligned cell for cell.</source>
        <translation>步长 ({0}, {1}) 不能整除平移量 ({2}, {3})：平移后特征图的采样点落在未平移特征图的采样点之间，两者无法逐格对齐。</translation>
    </message>
    <message>
        <source>Moved back by ({0}, {1}) cells, minus the feature map</source>
        <translation>移回 ({0}, {1}) 格后减去原特征图</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>The feature map moved by ({0}, {1}) cells. Largest difference away from the borders: {2} ({3} cells); at the borders: {4}. Grey cells have no counterpart in the shifted map.</source>
        <translation>特征图移动了 ({0}, {1}) 格。远离边界处的最大差值：{2}（{3} 格）；边界处：{4}。灰色格子在平移后的特征图中没有对应。</translation>
    </message>
</context>
<context>
    <name>CurvesView</name>
    <message>
        <source>Training loss (log scale)</source>
        <translation>训练损失（对数坐标）</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Test error</source>
        <translation>测试误差</translation>
    </message>
    <message>
        <source>error</source>
        <translation>误差</translation>
    </message>
    <message>
        <source>Gradient norm per layer, latest step (log scale)</source>
        <translation>各层梯度范数，最新一步（对数坐标）</translation>
    </message>
    <message>
        <source>weighted layer, input → output</source>
        <translation>带权重的层，输入 → 输出</translation>
    </message>
    <message>
        <source>gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>Gradient norm per layer at step {0} (log scale)</source>
        <translation>第 {0} 步各层梯度范数（对数坐标）</translation>
    </message>
    <message>
        <source>; diverged (their last finite step): {0}</source>
        <translation>；已发散（显示其最后一个有限步）：{0}</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>{0} more error(s) since this one; see the log for each.</source>
        <translation>此后又出现 {0} 个错误；每个错误详见日志。</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Cannot do that</source>
        <translation>无法执行</translation>
    </message>
    <message>
        <source>Something went wrong: {0}. The app keeps running; details below.</source>
        <translation>出错了：{0}。程序仍在运行；详情见下文。</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>No installed font covers Chinese, so Chinese text shows as boxes. Install a CJK font (on Debian or Ubuntu: sudo apt-get install fonts-noto-cjk), or choose English in View ▸ Language.</source>
        <translation>没有安装支持中文的字体，中文会显示为方框。请安装 CJK 字体（Debian 或 Ubuntu：sudo apt-get install fonts-noto-cjk），或在 视图 ▸ 语言 中选择 English。</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>The language changes to {0} the next time CNN Viewer starts.</source>
        <translation>下次启动 CNN Viewer 时，语言将切换为 {0}。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
</context>
<context>
    <name>Lessons</name>
    <message>
        <source>1. Convolution</source>
        <translation>1. 卷积</translation>
    </message>
    <message>
        <source>2. Pooling</source>
        <translation>2. 池化</translation>
    </message>
    <message>
        <source>3. Batch normalisation</source>
        <translation>3. 批量归一化</translation>
    </message>
    <message>
        <source>4. ResNet</source>
        <translation>4. 残差网络 ResNet</translation>
    </message>
    <message>
        <source>5. ResNet50 stage by stage</source>
        <translation>5. 逐阶段看 ResNet50</translation>
    </message>
    <message>
        <source>The output is {0}x{1}: (5 - 3 + 0) / 2 + 1 = {0} on each axis, and F.conv2d gives a {0}x{1} map.</source>
        <translation>输出为 {0}x{1}：每个方向 (5 - 3 + 0) / 2 + 1 = {0}，F.conv2d 也给出 {0}x{1} 的特征图。</translation>
    </message>
    <message>
        <source>The output is {0}x{1}: the course writes (5 - 3 + 2) / 1 + 1 with p = 2 in total, PyTorch writes (5 + 2*1 - 3) / 1 + 1 with padding=1 per side; F.conv2d gives a {0}x{1} map.</source>
        <translation>输出为 {0}x{1}：课程写作 (5 - 3 + 2) / 1 + 1，p = 2 为总填充；PyTorch 写作 (5 + 2*1 - 3) / 1 + 1，padding=1 为每侧填充；F.conv2d 给出 {0}x{1} 的特征图。</translation>
    </message>
    <message>
        <source>{0} weights (64 kernels of 3 x 3 x 3) and {1} biases (one per kernel): {2} trained parameters, as nn.Conv2d(3, 64, 3) counts them.</source>
        <translation>{0} 个权重（64 个 3 x 3 x 3 的卷积核）和 {1} 个偏置（每个卷积核一个）：共 {2} 个训练参数，与 nn.Conv2d(3, 64, 3) 的计数相同。</translation>
    </message>
    <message>
        <source>By ({0}, {1}) cells: the shift divided by the stride. Away from the borders the largest difference is {2:g} (F.conv2d on the shifted input); at the borders, where the window meets the padding, it reaches {3:.3g}.</source>
        <translation>移动 ({0}, {1}) 格：平移量除以步长。远离边界处最大差值为 {2:g}（对平移后的输入做 F.conv2d）；在边界处，窗口碰到填充，差值达到 {3:.3g}。</translation>
    </message>
    <message>
        <source>The contrast (standard deviation) of the pooled maps: max {0:.3f}, stochastic at test time {1:.3f}, average {2:.3f}. The larger it is, the more of the texture&apos;s light and dark survives.</source>
        <translation>池化后特征图的对比度（标准差）：最大池化 {0:.3f}，随机池化（测试时）{1:.3f}，平均池化 {2:.3f}。数值越大，纹理的明暗保留得越多。</translation>
    </message>
    <message>
        <source>p = a / 10, so sum p*a = (1 + 4 + 9 + 16) / 10 = {0:g}: above the average 2.5, below the maximum 4.</source>
        <translation>p = a / 10，因此 Σ p*a = (1 + 4 + 9 + 16) / 10 = {0:g}：高于平均值 2.5，低于最大值 4。</translation>
    </message>
    <message>
        <source>Max pooling keeps {0} of its {2} cells exactly, and its cells change by {3:.3f} on average; average pooling keeps {1}, and its cells change by {4:.3f}. A maximum stays as long as it stays inside its window.</source>
        <translation>最大池化的 {2} 个格子中有 {0} 个完全不变，格子平均变化 {3:.3f}；平均池化保持 {1} 个不变，平均变化 {4:.3f}。只要最大值仍在其窗口内，它就保持不变。</translation>
    </message>
    <message>
        <source>Mean {0:.2g} and standard deviation {1:.4f} for channel 0 (the input had mean {2:.2f} and deviation {3:.2f}); gamma = 1 and beta = 0 until training changes them.</source>
        <translation>通道 0 的均值为 {0:.2g}，标准差为 {1:.4f}（输入的均值为 {2:.2f}，标准差为 {3:.2f}）；在训练改变它们之前，gamma = 1，beta = 0。</translation>
    </message>
    <message>
        <source>The bottleneck (1x1 to 64, 3x3, 1x1 back to 256) has {0} parameters; two 3x3 convolutions at 256 channels have {1}, {2:.1f} times as many.</source>
        <translation>瓶颈结构（1x1 降到 64，3x3，再 1x1 回到 256）有 {0} 个参数；256 通道上的两个 3x3 卷积有 {1} 个，是它的 {2:.1f} 倍。</translation>
    </message>
    <message>
        <source>{0}: {1} blocks, the first with stride {2}; it takes {3} channels and puts out {4} x 4 = {5}.</source>
        <translation>{0}：{1} 个块，第一个块步长为 {2}；输入 {3} 个通道，输出 {4} x 4 = {5} 个通道。</translation>
    </message>
    <message>
        <source>{0} channels of {1} x {2}, from a {3} x {3} input.</source>
        <translation>{0} 个通道，每个 {1} x {2}，输入为 {3} x {3}。</translation>
    </message>
    <message>
        <source>Convolution is cross-correlation</source>
        <translation>卷积就是互相关运算</translation>
    </message>
    <message>
        <source>The kernel&apos;s window starts at the input&apos;s top-left corner and slides left to right, then top to bottom. At each position the window&apos;s values are multiplied by the kernel&apos;s weights and summed into one number: the feature map&apos;s value there. Step through course example 1 and watch the sum being written out.</source>
        <translation>卷积核的窗口从输入的左上角开始，先从左到右、再从上到下滑动。在每个位置，窗口内的值与卷积核的权重相乘后求和，得到一个数：特征图在该位置的值。逐步播放课程示例 1，看求和过程如何写出。</translation>
    </message>
    <message>
        <source>Local features and translation invariance</source>
        <translation>局部特征与平移不变性</translation>
    </message>
    <message>
        <source>Each output value sees only a small window: the layer finds local features. The same kernel slides everywhere, so a pattern gives the same response wherever it is. Shift the input and the feature map moves with it, by the shift divided by the stride; their aligned difference is zero away from the borders, where the window meets the padding (here a reflection of the input) or the cells the shift emptied.</source>
        <translation>每个输出值只看到一个小窗口：卷积层提取局部特征。同一个卷积核在各处滑动，因此同一图案无论出现在哪里都得到相同的响应。平移输入，特征图随之移动，移动量为平移量除以步长；对齐后的差值在远离边界处为零，边界处窗口碰到填充（这里是输入的反射填充）或平移后空出的格子。</translation>
    </message>
    <message>
        <source>The input moves 4 pixels down and 6 to the right, with stride 2. By how many cells does the feature map move, and how large is the difference?</source>
        <translation>输入向下移动 4 个像素、向右移动 6 个像素，步长为 2。特征图移动多少格？差值有多大？</translation>
    </message>
    <message>
        <source>Kernel, stride and feature map: course example 1</source>
        <translation>卷积核、步长与特征图：课程示例 1</translation>
    </message>
    <message>
        <source>A 5x5 input, a 3x3 kernel, stride 2 and no padding. The window moves two cells at a time, so it fits twice along each axis. The output size follows from the kernel size, the stride and the padding; the formula on the left shows the numbers.</source>
        <translation>5x5 的输入、3x3 的卷积核、步长 2、无填充。窗口每次移动两格，所以在每个方向上放得下两次。输出尺寸由卷积核大小、步长和填充决定；左侧的公式给出具体数值。</translation>
    </message>
    <message>
        <source>What size is the output?</source>
        <translation>输出尺寸是多少？</translation>
    </message>
    <message>
        <source>Padding and its two conventions: course example 2</source>
        <translation>填充及其两种约定：课程示例 2</translation>
    </message>
    <message>
        <source>The same input and kernel with stride 1 and one row and column of zeros added on every side. The course counts p = 2 padded rows in total and writes n - k + p + 1; PyTorch counts padding=1 per side and writes n + 2p - k + 1. Both give the same size.</source>
        <translation>同样的输入和卷积核，步长为 1，每侧加一行一列零填充。课程按总填充 p = 2 计数，写作 n - k + p + 1；PyTorch 按每侧 padding=1 计数，写作 n + 2p - k + 1。两者得到相同的尺寸。</translation>
    </message>
    <message>
        <source>What size is the output now?</source>
        <translation>现在输出尺寸是多少？</translation>
    </message>
    <message>
        <source>Bias and the two trained parameters of a layer</source>
        <translation>偏置与卷积层的两类训练参数</translation>
    </message>
    <message>
        <source>Every kernel element is a weight the network learns, and each kernel has one bias, a learned number added to every output value. Here the bias is 1: every value of the feature map is 1 larger than the sum of the products. Type new weights into the kernel to see the output change.</source>
        <translation>卷积核的每个元素都是网络学习的权重，每个卷积核还有一个偏置：一个学习得到的数，加到每个输出值上。这里偏置为 1：特征图的每个值都比乘积之和大 1。在卷积核中输入新的权重，观察输出如何变化。</translation>
    </message>
    <message>
        <source>How many trained parameters has a layer of 64 kernels of 3x3 over an RGB image?</source>
        <translation>一个在 RGB 图像上有 64 个 3x3 卷积核的卷积层有多少个训练参数？</translation>
    </message>
    <message>
        <source>Max pooling keeps texture, average pooling keeps background</source>
        <translation>最大池化保留纹理，平均池化保留背景</translation>
    </message>
    <message>
        <source>Max pooling keeps the strongest response of each window, so texture and edges survive. Average pooling keeps the overall level, which favours smooth background. Compare the three outputs of the texture patch.</source>
        <translation>最大池化保留每个窗口中最强的响应，因此纹理和边缘得以保留。平均池化保留整体水平，有利于平滑的背景。比较纹理图块的三种输出。</translation>
    </message>
    <message>
        <source>Which pooling keeps this texture best?</source>
        <translation>哪种池化最能保留这块纹理？</translation>
    </message>
    <message>
        <source>Stochastic pooling: the draw and its test-time weighting</source>
        <translation>随机池化：训练时的抽样与测试时的加权</translation>
    </message>
    <message>
        <source>During training, stochastic pooling picks one value per window at random, with probability proportional to its size (p = a / sum of a; the values must not be negative). At test time it outputs the probability-weighted average, sum of p times a. Switch between one training draw and the test-time output.</source>
        <translation>训练时，随机池化在每个窗口中按与数值大小成正比的概率随机选取一个值（p = a / Σa；数值不能为负）。测试时输出按概率加权的平均值 Σ p·a。在一次训练抽样与测试时输出之间切换。</translation>
    </message>
    <message>
        <source>What does stochastic pooling output at test time for the window 1, 2, 3, 4?</source>
        <translation>对窗口 1, 2, 3, 4，随机池化在测试时输出什么？</translation>
    </message>
    <message>
        <source>Max pooling absorbs small shifts</source>
        <translation>最大池化能吸收小的平移</translation>
    </message>
    <message>
        <source>Shift the map by less than one window: a window&apos;s maximum stays the output as long as it stays inside the window. The view compares max pooling of the shifted map with max pooling of the original, cell by cell.</source>
        <translation>将特征图平移不到一个窗口：只要窗口的最大值仍在该窗口内，它就仍是输出。视图逐格比较平移后特征图的最大池化与原特征图的最大池化。</translation>
    </message>
    <message>
        <source>How many output cells does a shift of one pixel down and right leave unchanged?</source>
        <translation>向下和向右各平移一个像素，有多少个输出格子保持不变？</translation>
    </message>
    <message>
        <source>Batch normalisation: training and inference</source>
        <translation>批量归一化：训练与推理</translation>
    </message>
    <message>
        <source>Batch norm normalises every channel: with the batch&apos;s mean and variance during training, with the running statistics at inference, then scales by gamma and shifts by beta, both learned. The batch-norm view shows one channel before and after.</source>
        <translation>批量归一化对每个通道做归一化：训练时使用该批数据的均值和方差，推理时使用滑动统计量，然后乘以 gamma、加上 beta，二者都是学习得到的。批量归一化视图显示一个通道归一化前后的样子。</translation>
    </message>
    <message>
        <source>In training mode, what mean and standard deviation does a channel have after batch norm?</source>
        <translation>训练模式下，批量归一化之后一个通道的均值和标准差是多少？</translation>
    </message>
    <message>
        <source>Batch norm speeds up training</source>
        <translation>批量归一化加快训练</translation>
    </message>
    <message>
        <source>The same networks trained with and without batch norm, from the same seed on the same batches. Start the experiment and watch how many steps each needs to bring its training loss down.</source>
        <translation>同样的网络分别带与不带批量归一化训练，使用相同的随机种子和相同的批次。开始实验，观察每个网络需要多少步把训练损失降下来。</translation>
    </message>
    <message>
        <source>The degradation problem and residual learning</source>
        <translation>退化问题与残差学习</translation>
    </message>
    <message>
        <source>A deeper plain network can end up worse than a shallower one, even on its training data. A residual block computes F(x) + x, so its extra layers can fall back to the identity. Start the experiment: plain and residual networks of 20 and 56 layers learn the same batches.</source>
        <translation>更深的普通网络可能比更浅的网络效果更差，即使在训练数据上也是如此。残差块计算 F(x) + x，因此多出的层可以退回到恒等映射。开始实验：20 层和 56 层的普通网络与残差网络学习相同的批次。</translation>
    </message>
    <message>
        <source>A residual block: F(x) + x</source>
        <translation>残差块：F(x) + x</translation>
    </message>
    <message>
        <source>The residual-block view takes the first block of conv2_x apart: the residual branch F(x), the shortcut and their sum, for one channel. When the shape changes, the shortcut is a 1x1 convolution with stride, then batch norm.</source>
        <translation>残差块视图拆解 conv2_x 的第一个块：残差分支 F(x)、捷径以及二者之和，显示一个通道。当形状改变时，捷径是一个带步长的 1x1 卷积，再接批量归一化。</translation>
    </message>
    <message>
        <source>Building block and bottleneck</source>
        <translation>构建块与瓶颈结构</translation>
    </message>
    <message>
        <source>ResNet18 and 34 stack building blocks: two 3x3 convolutions. ResNet50, 101 and 152 stack bottlenecks: a 1x1 convolution reduces the channels, a 3x3 works on fewer of them, and a 1x1 expands them by 4, which is cheaper at depth. Here is ResNet18&apos;s first block; switch the architecture to compare.</source>
        <translation>ResNet18 和 34 堆叠构建块：两个 3x3 卷积。ResNet50、101 和 152 堆叠瓶颈结构：1x1 卷积减少通道数，3x3 卷积在较少的通道上计算，再由 1x1 卷积扩展 4 倍，在深层更省计算。这里是 ResNet18 的第一个块；切换架构进行比较。</translation>
    </message>
    <message>
        <source>How many parameters has a bottleneck on 256 channels, against two 3x3 convolutions on 256 channels?</source>
        <translation>256 通道上的一个瓶颈结构有多少个参数？256 通道上的两个 3x3 卷积呢？</translation>
    </message>
    <message>
        <source>make_layer stacks the blocks of a stage</source>
        <translation>make_layer 堆叠一个阶段的块</translation>
    </message>
    <message>
        <source>make_layer builds one stage from four numbers: the channels coming out of the previous stage, the stage&apos;s own channel count, how many blocks to stack and the stride of the first block. Under the stage table each stage&apos;s call is written out, and under the block diagram the selected block&apos;s layers.</source>
        <translation>make_layer 用四个数构建一个阶段：上一阶段输出的通道数、本阶段自身的通道数、堆叠多少个块，以及第一个块的步长。阶段表下方写出了每个阶段的调用，结构图下方写出了所选块的各层。</translation>
    </message>
    <message>
        <source>Which call builds conv4_x of ResNet50, and how many channels come out of it?</source>
        <translation>哪个调用构建 ResNet50 的 conv4_x？它输出多少个通道？</translation>
    </message>
    <message>
        <source>ResNet50 at 32x32: the course&apos;s table</source>
        <translation>32x32 的 ResNet50：课程中的表格</translation>
    </message>
    <message>
        <source>The stage table for a 32x32 RGB input: conv1 halves the size to 16x16, each later stage halves it again while the channels grow to 2048, and average pooling and the fully connected layer give one score per class.</source>
        <translation>32x32 RGB 输入的阶段表：conv1 把尺寸减半到 16x16，之后每个阶段再减半，通道数增长到 2048，平均池化和全连接层为每个类别给出一个分数。</translation>
    </message>
    <message>
        <source>What comes out of conv5_x at 32x32?</source>
        <translation>32x32 时 conv5_x 输出什么？</translation>
    </message>
    <message>
        <source>ResNet50 at 224x224</source>
        <translation>224x224 的 ResNet50</translation>
    </message>
    <message>
        <source>The same network at ImageNet&apos;s 224x224: the stages give 112, 56, 28, 14 and 7 pixels. Nothing in the network depends on the input size until the average pool.</source>
        <translation>同一网络在 ImageNet 的 224x224 上：各阶段给出 112、56、28、14 和 7 像素。在平均池化之前，网络中没有任何部分依赖输入尺寸。</translation>
    </message>
    <message>
        <source>What comes out of conv5_x at 224x224?</source>
        <translation>224x224 时 conv5_x 输出什么？</translation>
    </message>
</context>
<context>
    <name>LessonsDock</name>
    <message>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Open this lesson</source>
        <translation>打开本课</translation>
    </message>
    <message>
        <source>Show the answer</source>
        <translation>显示答案</translation>
    </message>
    <message>
        <source>The answer could not be computed: {0}</source>
        <translation>无法计算答案：{0}</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.ppm *.pgm)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.ppm *.pgm)</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>卷积</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>ResNet50</source>
        <translation>ResNet50</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>CNN Viewer</source>
        <translation>CNN Viewer</translation>
    </message>
    <message>
        <source>Loading PyTorch…</source>
        <translation>正在加载 PyTorch…</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Preparing the page…</source>
        <translation>正在准备页面…</translation>
    </message>
    <message>
        <source>This page is not built yet.</source>
        <translation>此页面尚未实现。</translation>
    </message>
    <message>
        <source>This page failed to start: {0}</source>
        <translation>此页面启动失败：{0}</translation>
    </message>
    <message>
        <source>{0} × {1} px — {2}</source>
        <translation>{0} × {1} 像素 — {2}</translation>
    </message>
    <message>
        <source>Opening {0}…</source>
        <translation>正在打开 {0}…</translation>
    </message>
    <message>
        <source>It has been removed from the recent files.</source>
        <translation>已将其从最近的文件中移除。</translation>
    </message>
    <message>
        <source>Cannot open the image</source>
        <translation>无法打开图像</translation>
    </message>
    <message>
        <source>Parts of the session were not restored</source>
        <translation>会话的部分内容未能恢复</translation>
    </message>
    <message>
        <source>Saved the session to {0}</source>
        <translation>会话已保存到 {0}</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>&amp;Open image…</source>
        <translation>打开图像(&amp;O)…</translation>
    </message>
    <message>
        <source>Open an image file (PNG, JPEG, BMP, GIF, TIFF, WebP, PPM)</source>
        <translation>打开图像文件（PNG、JPEG、BMP、GIF、TIFF、WebP、PPM）</translation>
    </message>
    <message>
        <source>&amp;Samples…</source>
        <translation>示例(&amp;S)…</translation>
    </message>
    <message>
        <source>Choose one of the bundled sample images</source>
        <translation>从自带的示例图像中选择一张</translation>
    </message>
    <message>
        <source>Save &amp;screenshot…</source>
        <translation>保存截图(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;About CNN Viewer</source>
        <translation>关于 CNN Viewer(&amp;A)</translation>
    </message>
    <message>
        <source>Open s&amp;ession…</source>
        <translation>打开会话(&amp;E)…</translation>
    </message>
    <message>
        <source>Restore every page&apos;s settings from a session file</source>
        <translation>从会话文件恢复每个页面的设置</translation>
    </message>
    <message>
        <source>Save sess&amp;ion…</source>
        <translation>保存会话(&amp;I)…</translation>
    </message>
    <message>
        <source>Save the image and every page&apos;s settings to a file to share</source>
        <translation>把图像和每个页面的设置保存到文件，以便分享</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <source>The course in order: every point one click away</source>
        <translation>按课程顺序：每个知识点一键直达</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Sa&amp;mple images</source>
        <translation>示例图像(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Open image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Save screenshot</source>
        <translation>保存截图</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Could not write the screenshot to {0}.</source>
        <translation>无法将截图写入 {0}。</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>About CNN Viewer</source>
        <translation>关于 CNN Viewer</translation>
    </message>
    <message>
        <source>&lt;h3&gt;CNN Viewer {0}&lt;/h3&gt;&lt;p&gt;See how convolutional neural networks compute: a convolution step by step, max / average / stochastic pooling side by side, and ResNet50 stage by stage.&lt;/p&gt;&lt;p&gt;The ResNet weights are untrained (random) unless you load or download ImageNet weights.&lt;/p&gt;&lt;p&gt;PyTorch {1} · PySide6 {2} · pyqtgraph {3}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;CNN Viewer {0}&lt;/h3&gt;&lt;p&gt;看卷积神经网络如何计算：逐步演示卷积，并排比较最大池化 / 平均池化 / 随机池化，逐阶段查看 ResNet50。&lt;/p&gt;&lt;p&gt;除非加载或下载 ImageNet 权重，ResNet 的权重是未训练的（随机）。&lt;/p&gt;&lt;p&gt;PyTorch {1} · PySide6 {2} · pyqtgraph {3}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>正在加载</translation>
    </message>
    <message>
        <source>CNN Viewer session (*.cnnsession.json *.json)</source>
        <translation>CNN Viewer 会话 (*.cnnsession.json *.json)</translation>
    </message>
</context>
<context>
    <name>MosaicTab</name>
    <message>
        <source>Click a feature-map pixel to outline its receptive field on the input.</source>
        <translation>点击特征图上的一个像素，在输入上勾出它的感受野。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Input as the network sees it&lt;/b&gt;</source>
        <translation>&lt;b&gt;网络所看到的输入&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>MosaicView</name>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Diverging colours for signed values, sequential after a ReLU</source>
        <translation>有正负的值用发散色，ReLU 之后用顺序色</translation>
    </message>
    <message>
        <source>Colormap; auto: diverging for signed values (before ReLU), sequential after ReLU</source>
        <translation>颜色映射；自动：有正负的值（ReLU 之前）用发散色，ReLU 之后用顺序色</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>all layers</source>
        <translation>所有层</translation>
    </message>
    <message>
        <source>Which tiles share one colour scale: the whole layer, each channel on its own, or every layer of the network</source>
        <translation>哪些图块共用一个颜色标尺：整层、每个通道各自，或网络的所有层</translation>
    </message>
    <message>
        <source>channel #</source>
        <translation>通道编号</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>zeros</source>
        <translation>零值</translation>
    </message>
    <message>
        <source>Tile order: channel number, or largest mean / max activation / fraction of zeros first</source>
        <translation>图块顺序：按通道编号，或按均值 / 最大激活值 / 零值比例从大到小</translation>
    </message>
    <message>
        <source>find...</source>
        <translation>查找...</translation>
    </message>
    <message>
        <source>Channel number to find in the mosaic</source>
        <translation>要在拼图中查找的通道编号</translation>
    </message>
    <message>
        <source>Export PNG...</source>
        <translation>导出 PNG...</translation>
    </message>
    <message>
        <source>Save the mosaic as a PNG image</source>
        <translation>将拼图保存为 PNG 图像</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Scale per</source>
        <translation>标尺范围</translation>
    </message>
    <message>
        <source>Sort by</source>
        <translation>排序</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>channel {0}, row {1}, column {2}: {3:.4g}</source>
        <translation>通道 {0}，第 {1} 行，第 {2} 列：{3:.4g}</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>Page</source>
        <translation>页面</translation>
    </message>
</context>
<context>
    <name>PoolMaps</name>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最大池化</translation>
    </message>
    <message>
        <source>average</source>
        <translation>平均池化</translation>
    </message>
    <message>
        <source>stochastic</source>
        <translation>随机池化</translation>
    </message>
    <message>
        <source>max − avg</source>
        <translation>最大池化 − 平均池化</translation>
    </message>
    <message>
        <source>stochastic − avg</source>
        <translation>随机池化 − 平均池化</translation>
    </message>
</context>
<context>
    <name>PoolShiftPanel</name>
    <message>
        <source>Max pooling</source>
        <translation>最大池化</translation>
    </message>
    <message>
        <source>Max pooling of the map shifted by ({0}, {1})</source>
        <translation>平移 ({0}, {1}) 后特征图的最大池化</translation>
    </message>
    <message>
        <source>Shifted minus unshifted, cell by cell</source>
        <translation>平移后减去平移前，逐格</translation>
    </message>
    <message>
        <source>{0} of {1} max-pooled cells are unchanged ({2:.0%}), and the cells change by {6:.3g} on average; average pooling keeps {3} ({4:.0%}) and changes by {7:.3g}. The window is {5}x{5}: a shift smaller than it moves a maximum out of its window only near the window&apos;s edge.</source>
        <translation>{1} 个最大池化格子中有 {0} 个不变（{2:.0%}），格子平均变化 {6:.3g}；平均池化保持 {3} 个不变（{4:.0%}），平均变化 {7:.3g}。窗口为 {5}x{5}：小于窗口的平移只会在窗口边缘附近把最大值移出其窗口。</translation>
    </message>
</context>
<context>
    <name>PoolWindowView</name>
    <message>
        <source>current window</source>
        <translation>当前窗口</translation>
    </message>
    <message>
        <source>p&lt;sub&gt;i&lt;/sub&gt; = a&lt;sub&gt;i&lt;/sub&gt; / Σa (stochastic)</source>
        <translation>p&lt;sub&gt;i&lt;/sub&gt; = a&lt;sub&gt;i&lt;/sub&gt; / Σa（随机池化）</translation>
    </message>
    <message>
        <source>cell (raster order)</source>
        <translation>单元（光栅顺序）</translation>
    </message>
    <message>
        <source>pad</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>all zero: nothing to draw, the output is 0</source>
        <translation>全为零：无可抽取，输出为 0</translation>
    </message>
</context>
<context>
    <name>PoolingControls</name>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Export GIF…</source>
        <translation>导出 GIF…</translation>
    </message>
    <message>
        <source>Luminance</source>
        <translation>亮度</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>绿色</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>蓝色</translation>
    </message>
    <message>
        <source>ReLU it: max(0, x)</source>
        <translation>先做 ReLU：max(0, x)</translation>
    </message>
    <message>
        <source>The map has negative values; stochastic pooling needs ReLU first.</source>
        <translation>特征图含有负值；随机池化需要先做 ReLU。</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>特征图</translation>
    </message>
    <message>
        <source>Colormap</source>
        <translation>颜色映射</translation>
    </message>
    <message>
        <source>2x2, stride 2</source>
        <translation>2x2，步长 2</translation>
    </message>
    <message>
        <source>3x3, stride 2, pad 1 (ResNet stem)</source>
        <translation>3x3，步长 2，填充 1（ResNet 主干）</translation>
    </message>
    <message>
        <source>Overlapping windows, as in ResNet&apos;s max pool after conv1</source>
        <translation>重叠的窗口，就像 ResNet 在 conv1 之后的最大池化</translation>
    </message>
    <message>
        <source>Average counts zero padding in its divisor (PyTorch&apos;s default, count_include_pad=True).</source>
        <translation>平均池化的除数计入零填充（PyTorch 的默认设置，count_include_pad=True）。</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Size k</source>
        <translation>大小 k</translation>
    </message>
    <message>
        <source>Stride s</source>
        <translation>步长 s</translation>
    </message>
    <message>
        <source>Padding p (per side)</source>
        <translation>填充 p（每侧）</translation>
    </message>
    <message>
        <source>Train: draw one value per window</source>
        <translation>训练：每个窗口抽取一个值</translation>
    </message>
    <message>
        <source>Test: weighted mean</source>
        <translation>测试：加权平均</translation>
    </message>
    <message>
        <source>Σ p&lt;sub&gt;i&lt;/sub&gt;a&lt;sub&gt;i&lt;/sub&gt;</source>
        <translation>Σ p&lt;sub&gt;i&lt;/sub&gt;a&lt;sub&gt;i&lt;/sub&gt;</translation>
    </message>
    <message>
        <source>Re-sample</source>
        <translation>重新抽样</translation>
    </message>
    <message>
        <source>Average of N samples</source>
        <translation>N 次抽样的平均</translation>
    </message>
    <message>
        <source>Stochastic pooling</source>
        <translation>随机池化</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Texture patch</source>
        <translation>纹理块</translation>
    </message>
    <message>
        <source>Stripes</source>
        <translation>条纹</translation>
    </message>
    <message>
        <source>Teaching presets</source>
        <translation>教学预设</translation>
    </message>
    <message>
        <source>Feature map: %1</source>
        <translation>特征图：%1</translation>
    </message>
    <message>
        <source>impossible</source>
        <translation>不可能</translation>
    </message>
    <message>
        <source>out = ⌊(n + 2p − k) / s⌋ + 1</source>
        <translation>out = ⌊(n + 2p − k) / s⌋ + 1</translation>
    </message>
    <message>
        <source>Look at the patch: max keeps the texture (it turns bright), average keeps the background (the patch fades into it); stochastic sits in between.</source>
        <translation>看这块纹理：最大池化保留纹理（它变亮），平均池化保留背景（纹理块融入背景）；随机池化介于两者之间。</translation>
    </message>
    <message>
        <source>Look at the finest stripes: average turns them into flat grey background, max keeps them as bright texture.</source>
        <translation>看最细的条纹：平均池化把它们变成均匀的灰色背景，最大池化把它们保留为明亮的纹理。</translation>
    </message>
    <message>
        <source>largest |mean of draws − weighted mean| = %1 (shrinks like 1/√N)</source>
        <translation>最大 |抽样均值 − 加权平均| = %1（按 1/√N 缩小）</translation>
    </message>
</context>
<context>
    <name>PoolingLabModel</name>
    <message>
        <source>Nothing to export: the current settings give no output.</source>
        <translation>没有可导出的内容：当前设置没有输出。</translation>
    </message>
    <message>
        <source>A feature map must be a finite (H, W) array.</source>
        <translation>特征图必须是有限值的 (H, W) 数组。</translation>
    </message>
    <message>
        <source>This feature map&apos;s values go beyond ±1.7e38: the differences between the poolings would leave float32&apos;s range, so they cannot be compared (a network this far gone has diverged).</source>
        <translation>该特征图的数值超出 ±1.7e38：各种池化之间的差会超出 float32 的范围，因此无法比较（到这种程度的网络已经发散）。</translation>
    </message>
</context>
<context>
    <name>PoolingLabPage</name>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>Pooling failed: %1</source>
        <translation>池化失败：%1</translation>
    </message>
    <message>
        <source>This map has negative values. Stochastic pooling draws with p = a / Σa, which is not a probability for negative a: apply ReLU first (tick “ReLU it”).</source>
        <translation>该特征图含有负值。随机池化按 p = a / Σa 抽样，而 a 为负时它不是概率：请先做 ReLU（勾选“先做 ReLU”）。</translation>
    </message>
    <message>
        <source>max − avg (±%1)</source>
        <translation>最大池化 − 平均池化（±%1）</translation>
    </message>
    <message>
        <source>stochastic − avg (±%1)</source>
        <translation>随机池化 − 平均池化（±%1）</translation>
    </message>
    <message>
        <source>stochastic: needs ReLU first</source>
        <translation>随机池化：需要先做 ReLU</translation>
    </message>
    <message>
        <source>stochastic − avg: needs ReLU</source>
        <translation>随机池化 − 平均池化：需要 ReLU</translation>
    </message>
    <message>
        <source>stochastic (test: Σ p&lt;sub&gt;i&lt;/sub&gt;a&lt;sub&gt;i&lt;/sub&gt;)</source>
        <translation>随机池化（测试：Σ p&lt;sub&gt;i&lt;/sub&gt;a&lt;sub&gt;i&lt;/sub&gt;）</translation>
    </message>
    <message>
        <source>stochastic (mean of %1 draws)</source>
        <translation>随机池化（%1 次抽样的平均）</translation>
    </message>
    <message>
        <source>stochastic (train draw, seed %1)</source>
        <translation>随机池化（训练抽样，种子 %1）</translation>
    </message>
    <message>
        <source>max = &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>最大值 = &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>average = &lt;b&gt;%1&lt;/b&gt; (÷ %2, padding included)</source>
        <translation>平均值 = &lt;b&gt;%1&lt;/b&gt;（÷ %2，含填充）</translation>
    </message>
    <message>
        <source>needs ReLU first</source>
        <translation>需要先做 ReLU</translation>
    </message>
    <message>
        <source>nothing (all zero)</source>
        <translation>无（全为零）</translation>
    </message>
    <message>
        <source>stochastic drew &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>随机池化抽到 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>stochastic Σ p&lt;sub&gt;i&lt;/sub&gt;a&lt;sub&gt;i&lt;/sub&gt; = &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>随机池化 Σ p&lt;sub&gt;i&lt;/sub&gt;a&lt;sub&gt;i&lt;/sub&gt; = &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Window at (%1, %2) → output (%3, %4):</source>
        <translation>窗口位于 (%1, %2) → 输出 (%3, %4)：</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#ffc800&apos;&gt;■&lt;/span&gt; max cell, &lt;span style=&apos;color:#ff3c3c&apos;&gt;■&lt;/span&gt; drawn cell</source>
        <translation>&lt;span style=&apos;color:#ffc800&apos;&gt;■&lt;/span&gt; 最大值单元，&lt;span style=&apos;color:#ff3c3c&apos;&gt;■&lt;/span&gt; 抽中的单元</translation>
    </message>
    <message>
        <source>Could not write the picture: %1</source>
        <translation>无法写入图片：%1</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message>
        <source>Export the comparison</source>
        <translation>导出比较图</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Export the stepping (from the current step)</source>
        <translation>导出逐步演示（从当前步开始）</translation>
    </message>
    <message>
        <source>GIF animations (*.gif)</source>
        <translation>GIF 动画 (*.gif)</translation>
    </message>
</context>
<context>
    <name>PoolingOutputs</name>
    <message>
        <source>stem channel </source>
        <translation>主干通道 </translation>
    </message>
    <message>
        <source>Global average pool: one number per channel</source>
        <translation>全局平均池化：每个通道一个数</translation>
    </message>
    <message>
        <source>channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>mean activation</source>
        <translation>平均激活值</translation>
    </message>
    <message>
        <source>&lt;tr&gt;&lt;th align=right&gt;probability&lt;/th&gt;&lt;th align=right&gt;class&lt;/th&gt;&lt;th align=left&gt;{0}&lt;/th&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;th align=right&gt;概率&lt;/th&gt;&lt;th align=right&gt;类别&lt;/th&gt;&lt;th align=left&gt;{0}&lt;/th&gt;&lt;/tr&gt;</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#b35900&apos;&gt;&lt;b&gt;The weights are untrained (random):&lt;/b&gt; these are raw class indices and the probabilities mean nothing. Load or download trained weights to see real predictions.&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#b35900&apos;&gt;&lt;b&gt;权重未经训练（随机）：&lt;/b&gt;这里是原始的类别编号，概率没有意义。加载或下载训练好的权重才能看到真实的预测。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#1f4fa0&apos;&gt;&lt;b&gt;Trained weights, classes not named:&lt;/b&gt; fc has {0} outputs and nothing says which class each one is, so the table shows their indices.&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#1f4fa0&apos;&gt;&lt;b&gt;权重已训练，但类别没有名称：&lt;/b&gt;fc 有 {0} 个输出，没有信息说明每个输出对应哪个类别，所以表中显示它们的编号。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;fc: top 5&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;fc：前 5 名&lt;/h3&gt;</translation>
    </message>
    <message>
        <source>before max pool (after ReLU)</source>
        <translation>最大池化之前（ReLU 之后）</translation>
    </message>
    <message>
        <source>after 3x3 max pool, stride 2</source>
        <translation>3x3 最大池化（步长 2）之后</translation>
    </message>
</context>
<context>
    <name>RecentFiles</name>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>清空列表</translation>
    </message>
</context>
<context>
    <name>ResNetControls</name>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>image&apos;s own (max 512)</source>
        <translation>图像原尺寸（最大 512）</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Back to the untrained, seeded random initialisation</source>
        <translation>回到未训练的、固定种子的随机初始化</translation>
    </message>
    <message>
        <source>Load file...</source>
        <translation>加载文件...</translation>
    </message>
    <message>
        <source>A .pth/.pt or .safetensors state_dict, or a MindSpore .ckpt checkpoint</source>
        <translation>.pth/.pt 或 .safetensors 格式的 state_dict，或 MindSpore 的 .ckpt 检查点</translation>
    </message>
    <message>
        <source>Download ImageNet</source>
        <translation>下载 ImageNet 权重</translation>
    </message>
    <message>
        <source>Download torchvision&apos;s ImageNet ResNet50 weights (about 100 MB)</source>
        <translation>下载 torchvision 的 ImageNet ResNet50 权重（约 100 MB）</translation>
    </message>
    <message>
        <source>Class names...</source>
        <translation>类别名称...</translation>
    </message>
    <message>
        <source>Name fc&apos;s outputs from a text file, one name per line in label order</source>
        <translation>从文本文件为 fc 的输出命名，每行一个名称，按标签顺序</translation>
    </message>
    <message>
        <source>Save weights...</source>
        <translation>保存权重...</translation>
    </message>
    <message>
        <source>Save the network shown as a PyTorch file (torchvision&apos;s layout) or a MindSpore .ckpt</source>
        <translation>将当前网络保存为 PyTorch 文件（torchvision 的布局）或 MindSpore 的 .ckpt</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Input size</source>
        <translation>输入尺寸</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Computes</source>
        <translation>计算方式</translation>
    </message>
    <message>
        <source>untrained (random)</source>
        <translation>未训练（随机）</translation>
    </message>
    <message>
        <source>{0} %</source>
        <translation>{0} %</translation>
    </message>
</context>
<context>
    <name>ResNetExplorerPage</name>
    <message>
        <source>Feature maps</source>
        <translation>特征图</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>Batch norm</source>
        <translation>批量归一化</translation>
    </message>
    <message>
        <source>Residual block</source>
        <translation>残差块</translation>
    </message>
    <message>
        <source>Pooling and output</source>
        <translation>池化与输出</translation>
    </message>
    <message>
        <source>Waiting for an image.</source>
        <translation>等待图像。</translation>
    </message>
    <message>
        <source>ResNet50</source>
        <translation>ResNet50</translation>
    </message>
    <message>
        <source>its own size</source>
        <translation>原尺寸</translation>
    </message>
    <message>
        <source>Computing {0} on {1} at {2} ...</source>
        <translation>正在以 {2} 在 {1} 上计算 {0} ……</translation>
    </message>
    <message>
        <source>{0}, {1} weights, input {2}x{3}: {4} nodes captured.</source>
        <translation>{0}，{1} 权重，输入 {2}x{3}：捕获了 {4} 个节点。</translation>
    </message>
    <message>
        <source>Left out of the file (training state, not weights): {0}.</source>
        <translation>文件中未载入的项（训练状态，不是权重）：{0}。</translation>
    </message>
    <message>
        <source>{0}.</source>
        <translation>{0}。</translation>
    </message>
    <message>
        <source>Input size set to {0}x{0} (it was {1}): the size these weights were trained at.</source>
        <translation>输入尺寸已设为 {0}x{0}（原为 {1}）：这些权重训练时所用的尺寸。</translation>
    </message>
    <message>
        <source>the image&apos;s own</source>
        <translation>图像原尺寸</translation>
    </message>
    <message>
        <source>Unexpected error: {0}</source>
        <translation>意外错误：{0}</translation>
    </message>
    <message>
        <source>Still using {0} weights.</source>
        <translation>仍在使用 {0} 权重。</translation>
    </message>
    <message>
        <source>Cannot show {0}: {1}</source>
        <translation>无法显示 {0}：{1}</translation>
    </message>
    <message>
        <source>signed (before ReLU): diverging colours</source>
        <translation>有正负（ReLU 之前）：发散色</translation>
    </message>
    <message>
        <source>non-negative: sequential colours</source>
        <translation>非负：顺序色</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1} channels of {2} x {3}, {4}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：{1} 个 {2} x {3} 的通道，{4}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;, channel {1} of {2} (scaled to its own range)</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;，通道 {1}/{2}（按自身范围缩放）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Receptive field&lt;/b&gt; (red outline): {0} channel {1}, pixel ({2}, {3}) sees input rows {4}-{5}, columns {6}-{7} ({8} x {9} pixels).</source>
        <translation>&lt;b&gt;感受野&lt;/b&gt;（红框）：{0} 通道 {1} 的像素 ({2}, {3}) 看到输入的第 {4}-{5} 行、第 {6}-{7} 列（{8} x {9} 像素）。</translation>
    </message>
    <message>
        <source>Select a convolution layer (conv1, conv2 ...) to step its kernel.</source>
        <translation>选择一个卷积层（conv1、conv2 ……）来逐步演示它的卷积核。</translation>
    </message>
    <message>
        <source>Load ResNet weights</source>
        <translation>加载 ResNet 权重</translation>
    </message>
    <message>
        <source>Weights (*.pth *.pt *.safetensors *.ckpt);;MindSpore checkpoints (*.ckpt);;All files (*)</source>
        <translation>权重 (*.pth *.pt *.safetensors *.ckpt);;MindSpore 检查点 (*.ckpt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>loading {0} ...</source>
        <translation>正在加载 {0} ……</translation>
    </message>
    <message>
        <source>Downloading {0} ...</source>
        <translation>正在下载 {0} ……</translation>
    </message>
    <message>
        <source>Download cancelled; nothing was saved.</source>
        <translation>下载已取消；没有保存任何内容。</translation>
    </message>
    <message>
        <source>Download failed: {0}</source>
        <translation>下载失败：{0}</translation>
    </message>
    <message>
        <source>Export mosaic</source>
        <translation>导出拼图</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Export channel</source>
        <translation>导出通道</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>{0} normalisation, trained at {1}x{1}</source>
        <translation>{0} 归一化，训练尺寸 {1}x{1}</translation>
    </message>
    <message>
        <source>{0} normalisation</source>
        <translation>{0} 归一化</translation>
    </message>
    <message>
        <source>{0} holds {1} weights, not {2}: switched the architecture to {1}.</source>
        <translation>{0} 中是 {1} 的权重，不是 {2}：已将架构切换为 {1}。</translation>
    </message>
</context>
<context>
    <name>SampleGallery</name>
    <message>
        <source>Sample images</source>
        <translation>示例图像</translation>
    </message>
    <message>
        <source>Photographs (public domain / CC0) and synthetic images made for teaching:</source>
        <translation>照片（公有领域 / CC0）以及为教学制作的合成图像：</translation>
    </message>
</context>
<context>
    <name>ShiftView</name>
    <message>
        <source>Shift the input (translation invariance)</source>
        <translation>平移输入（平移不变性）</translation>
    </message>
    <message>
        <source>down (dy): </source>
        <translation>向下 (dy)：</translation>
    </message>
    <message>
        <source>right (dx): </source>
        <translation>向右 (dx)：</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Nothing to shift: the lab has no result for its current settings.</source>
        <translation>无可平移：实验室在当前设置下没有结果。</translation>
    </message>
</context>
<context>
    <name>StageTable</name>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>bottleneck</source>
        <translation>瓶颈结构</translation>
    </message>
    <message>
        <source>building block</source>
        <translation>构建块</translation>
    </message>
    <message>
        <source>3x3 max pool, stride 2, then {0} {1}</source>
        <translation>3x3 最大池化，步长 2，然后是 {0} 个{1}</translation>
    </message>
    <message>
        <source>{0} {1}, the first with stride 2</source>
        <translation>{0} 个{1}，第一个的步长为 2</translation>
    </message>
    <message>
        <source>global average pool, then a fully connected layer to {0} classes</source>
        <translation>全局平均池化，然后是输出 {0} 个类别的全连接层</translation>
    </message>
    <message>
        <source>7x7 conv, 64 kernels, stride 2; batch norm; ReLU</source>
        <translation>7x7 卷积，64 个卷积核，步长 2；批量归一化；ReLU</translation>
    </message>
    <message>
        <source>average pool and fc</source>
        <translation>全局平均池化与 fc</translation>
    </message>
</context>
<context>
    <name>StepControls</name>
    <message>
        <source>First step (Home)</source>
        <translation>第一步 (Home)</translation>
    </message>
    <message>
        <source>Previous step (Left)</source>
        <translation>上一步 (Left)</translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation>播放 / 暂停 (Space)</translation>
    </message>
    <message>
        <source>Next step (Right)</source>
        <translation>下一步 (Right)</translation>
    </message>
    <message>
        <source>Last step (End)</source>
        <translation>最后一步 (End)</translation>
    </message>
    <message>
        <source>Scrub through the steps</source>
        <translation>拖动浏览各步</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>播放速度</translation>
    </message>
    <message>
        <source>%1 steps/s</source>
        <translation>%1 步/秒</translation>
    </message>
    <message>
        <source>Move one output cell at a time, or one whole row</source>
        <translation>每次移动一个输出单元，或一整行</translation>
    </message>
    <message>
        <source>cell by cell</source>
        <translation>逐个单元</translation>
    </message>
    <message>
        <source>row by row</source>
        <translation>逐行</translation>
    </message>
    <message>
        <source>step %1 / %2</source>
        <translation>第 %1 / %2 步</translation>
    </message>
    <message>
        <source>no steps</source>
        <translation>没有步骤</translation>
    </message>
</context>
<context>
    <name>TrainingControls</name>
    <message>
        <source>Degradation: plain-20 vs plain-56 vs ResNet-20 vs ResNet-56</source>
        <translation>退化问题：plain-20/56 vs ResNet-20/56</translation>
    </message>
    <message>
        <source>Batch norm: the same network with and without BN</source>
        <translation>批量归一化：同一网络有无 BN</translation>
    </message>
    <message>
        <source>Gradients through depth: a deep plain net without BN against its residual twin</source>
        <translation>梯度随深度：无 BN 的深层普通网络 vs 残差网络</translation>
    </message>
    <message>
        <source>Train the course&apos;s network (ResNet50 at 32x32) and inspect it</source>
        <translation>训练课程中的 ResNet50（32x32）并查看</translation>
    </message>
    <message>
        <source>Experiment</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Each experiment trains its networks side by side on the same batches</source>
        <translation>每个实验在相同的批次上并排训练其网络</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>shapes (bundled, synthetic)</source>
        <translation>形状（自带，合成）</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>A cifar-10-batches-bin folder, or a folder of images with one sub-folder per class</source>
        <translation>cifar-10-batches-bin 文件夹，或每个类别一个子文件夹的图像文件夹</translation>
    </message>
    <message>
        <source>Peak learning rate of SGD (momentum 0.9, weight decay 1e-4): a linear warm-up over the first 5% of the steps, then a cosine decay to zero</source>
        <translation>SGD 的峰值学习率（动量 0.9，权重衰减 1e-4）：前 5% 的步数线性预热，然后余弦衰减到零</translation>
    </message>
    <message>
        <source>{0} (stages of {1}/{2}/{3} channels)</source>
        <translation>{0}（各阶段 {1}/{2}/{3} 个通道）</translation>
    </message>
    <message>
        <source>Channel factor of the CIFAR-family networks (ResNet18 and ResNet50 keep their own)</source>
        <translation>CIFAR 系列网络的通道倍数（ResNet18 和 ResNet50 保持各自的宽度）</translation>
    </message>
    <message>
        <source>Keep training while another page is shown</source>
        <translation>显示其他页面时继续训练</translation>
    </message>
    <message>
        <source>Otherwise the run pauses when you go to another page, so that page gets the cores</source>
        <translation>否则切换到其他页面时训练会暂停，让那个页面使用 CPU 核心</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>Input size</source>
        <translation>输入尺寸</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Trained networks</source>
        <translation>已训练的网络</translation>
    </message>
    <message>
        <source>Open in the ResNet explorer</source>
        <translation>在 ResNet 浏览器中打开</translation>
    </message>
    <message>
        <source>Save weights…</source>
        <translation>保存权重…</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source> (not for the explorer)</source>
        <translation>（不能在浏览器中查看）</translation>
    </message>
</context>
<context>
    <name>TrainingLabPage</name>
    <message>
        <source>Four networks of the ResNet paper&apos;s CIFAR family learn the same batches. The plain ones are stacks of 3x3 convolutions with batch norm; the ResNets are the same stacks with a shortcut around every pair of convolutions (and, from the same seed, the same initial weights). Look at the training loss: the deeper plain-56 ends above plain-20 although it could copy it and leave its extra layers as identities. That is the degradation problem, and it is not overfitting, because it shows on the training data. With shortcuts, depth stops hurting: ResNet-56 ends below plain-56 and ResNet-20 below plain-20.</source>
        <translation>ResNet 论文中 CIFAR 系列的四个网络在相同的批次上学习。普通网络是带批量归一化的 3x3 卷积堆叠；ResNet 是同样的堆叠，但每两个卷积外加一条捷径（并且由同一随机种子得到相同的初始权重）。看训练损失：更深的 plain-56 最终高于 plain-20，尽管它本可以复制 plain-20，把多出的层当作恒等映射。这就是退化问题，它不是过拟合，因为它出现在训练数据上。有了捷径，深度不再有害：ResNet-56 最终低于 plain-56，ResNet-20 低于 plain-20。</translation>
    </message>
    <message>
        <source>plain-8 and plain-20, each with and without batch normalisation, from the same seed and on the same batches (without BN each convolution has a bias instead). Look at how many steps each needs to reach a given training loss: with BN the loss falls sooner. Without BN the 20-layer network barely moves from chance (a loss of ln 10 = 2.3): its signal and gradients fade through the layers, which BN&apos;s per-channel normalisation prevents.</source>
        <translation>plain-8 和 plain-20，各自有和没有批量归一化，使用同一随机种子并在相同的批次上训练（没有 BN 时每个卷积改用偏置）。看各自需要多少步才能达到给定的训练损失：有 BN 时损失下降得更早。没有 BN 时，20 层的网络几乎停留在随机猜测水平（损失 ln 10 = 2.3）：它的信号和梯度逐层衰减，而 BN 的逐通道归一化能防止这一点。</translation>
    </message>
    <message>
        <source>The gradient plot shows, for the current step, the norm of each layer&apos;s weight gradient from the input (layer 1) to the output (layer 56), on a log scale. Without batch norm, the plain net&apos;s gradients are tiny and, as it trains, fall further towards the input: they vanish, and its loss stays at chance (ln 10 = 2.3). Its residual twin, initialised the same way, adds every block&apos;s output to its input, so its activations and gradients grow block after block until the loss is no longer a number: the lab marks it diverged. With batch norm, the plain net&apos;s gradients first grow towards the input by orders of magnitude, then fall towards it, and it barely learns; the residual net&apos;s stay within a small factor of each other from input to output, and it learns.</source>
        <translation>梯度图以对数坐标显示当前一步中从输入（第 1 层）到输出（第 56 层）各层权重梯度的范数。没有批量归一化时，普通网络的梯度很小，并且随着训练越靠近输入越小：梯度消失，它的损失停留在随机猜测水平（ln 10 = 2.3）。以同样方式初始化的残差孪生网络把每个块的输出加到其输入上，因此激活值和梯度一块接一块地增大，直到损失不再是一个数：实验将其标记为已发散。有批量归一化时，普通网络的梯度先向输入方向增大几个数量级，然后又减小，它几乎学不到东西；残差网络的梯度从输入到输出都只相差一个小倍数，它能学会。</translation>
    </message>
    <message>
        <source>The explorer&apos;s own ResNet50 (torchvision&apos;s layout, 23.5 million parameters) with one output per class, trained at 32x32 as in the course&apos;s stage table: the stem and the max pool leave 8x8 maps for conv2_x and conv5_x ends at 1x1. When it is done, open it in the ResNet explorer: its feature maps are now those of a trained network, its top-5 names the dataset&apos;s classes, and the untrained network is one click away (Random) for comparison.</source>
        <translation>浏览器自带的 ResNet50（torchvision 的布局，2350 万个参数），每个类别一个输出，按课程的阶段表在 32x32 上训练：主干和最大池化为 conv2_x 留下 8x8 的特征图，conv5_x 最终为 1x1。训练完成后，在 ResNet 浏览器中打开它：它的特征图就是一个训练过的网络的特征图，前 5 名显示数据集的类别名称，未训练的网络只需点击一下（随机）即可对比。</translation>
    </message>
    <message>
        <source>Choose an experiment and press Start.</source>
        <translation>选择一个实验，然后点击“开始”。</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Dataset folder (cifar-10-batches-bin, or one sub-folder per class)</source>
        <translation>数据集文件夹（cifar-10-batches-bin，或每个类别一个子文件夹）</translation>
    </message>
    <message>
        <source>Reading the dataset and building {0} ...</source>
        <translation>正在读取数据集并构建 {0} ……</translation>
    </message>
    <message>
        <source>Pausing after the step under way ...</source>
        <translation>当前这一步完成后暂停 ……</translation>
    </message>
    <message>
        <source>Stopping after the step under way ...</source>
        <translation>当前这一步完成后停止 ……</translation>
    </message>
    <message>
        <source>Training {0} on {1}: {2} training images of {3}x{3}, {4} classes{5}, on the {6}.</source>
        <translation>在 {1} 上训练 {0}：{2} 张 {3}x{3} 的训练图像，{4} 个类别{5}，运行于 {6}。</translation>
    </message>
    <message>
        <source>Paused at step {0} while another page is shown; it resumes when you come back.</source>
        <translation>显示其他页面时在第 {0} 步暂停；回到本页时继续。</translation>
    </message>
    <message>
        <source>Paused at step {0}.</source>
        <translation>已在第 {0} 步暂停。</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>{0} at step {1}; test accuracy on the whole test set below.</source>
        <translation>{0}，共 {1} 步；下面是整个测试集上的测试准确率。</translation>
    </message>
    <message>
        <source>Unexpected error: {0}</source>
        <translation>意外错误：{0}</translation>
    </message>
    <message>
        <source>Resumed.</source>
        <translation>已继续。</translation>
    </message>
    <message>
        <source>Save weights</source>
        <translation>保存权重</translation>
    </message>
    <message>
        <source>safetensors weights (*.safetensors)</source>
        <translation>safetensors 权重 (*.safetensors)</translation>
    </message>
    <message>
        <source>Opened in the ResNet explorer with a test image of the dataset.</source>
        <translation>已在 ResNet 浏览器中打开，并使用数据集中的一张测试图像。</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Export curves</source>
        <translation>导出曲线</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>CSV tables (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>Cannot write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message>
        <source>step {0} of {1}</source>
        <translation>第 {0}/{1} 步</translation>
    </message>
    <message>
        <source>{0:,.0f} images/s</source>
        <translation>{0:,.0f} 张图像/秒</translation>
    </message>
    <message>
        <source>about {0} left</source>
        <translation>约剩 {0}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: diverged at step {1}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：在第 {1} 步发散</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: loss {1} (mean of the last {2} steps), test accuracy {3}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：损失 {1}（最后 {2} 步的平均），测试准确率 {3}</translation>
    </message>
    <message>
        <source>Saved weights carry the dataset&apos;s class names and preprocessing.</source>
        <translation>保存的权重带有数据集的类别名称和预处理方式。</translation>
    </message>
    <message>
        <source>The explorer shows torchvision-layout ResNets; these CIFAR-family networks can be saved and exported. Train the course&apos;s ResNet50 to inspect a trained network there.</source>
        <translation>浏览器显示 torchvision 布局的 ResNet；这些 CIFAR 系列网络可以保存和导出。训练课程中的 ResNet50，即可在浏览器中查看训练过的网络。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
</context>
<context>
    <name>UserError</name>
    <message>
        <source>The input must be at least 1 pixel long (got {0}).</source>
        <translation>输入至少要有 1 个像素长（当前为 {0}）。</translation>
    </message>
    <message>
        <source>The kernel must be at least 1 wide (got {0}).</source>
        <translation>卷积核至少要有 1 个像素宽（当前为 {0}）。</translation>
    </message>
    <message>
        <source>The stride must be at least 1 (got {0}).</source>
        <translation>步长至少为 1（当前为 {0}）。</translation>
    </message>
    <message>
        <source>The padding cannot be negative (got {0}).</source>
        <translation>填充不能为负数（当前为 {0}）。</translation>
    </message>
    <message>
        <source>The dilation must be at least 1 (got {0}).</source>
        <translation>膨胀率至少为 1（当前为 {0}）。</translation>
    </message>
    <message>
        <source>The kernel covers {0} pixels (size {1}, dilation {2}) but the padded input is only {3} pixels ({4} + 2 x {5} padding): the output would be empty. Use a smaller kernel or dilation, or more padding.</source>
        <translation>卷积核覆盖 {0} 个像素（大小 {1}，膨胀率 {2}），而填充后的输入只有 {3} 个像素（{4} + 2 x {5} 填充）：输出将为空。请使用更小的卷积核或膨胀率，或增加填充。</translation>
    </message>
    <message>
        <source>The kernel covers {0} pixels (size {1}, dilation {2}) but the padded input is only {3} pixels ({4} + {5} + {6} padding): the output would be empty. Use a smaller kernel or dilation, or more padding.</source>
        <translation>卷积核覆盖 {0} 个像素（大小 {1}，膨胀率 {2}），而填充后的输入只有 {3} 个像素（{4} + {5} + {6} 填充）：输出将为空。请使用更小的卷积核或膨胀率，或增加填充。</translation>
    </message>
    <message>
        <source>The pooling window must be at least 1 wide (got {0}).</source>
        <translation>池化窗口至少要有 1 个像素宽（当前为 {0}）。</translation>
    </message>
    <message>
        <source>Pooling padding must be at most half the window ({0} // 2 = {1}); got {2}.</source>
        <translation>池化的填充最多为窗口的一半（{0} // 2 = {1}）；当前为 {2}。</translation>
    </message>
    <message>
        <source>The {0}x{0} window is larger than the padded input, only {1} pixels ({2} + 2 x {3} padding): the output would be empty. Use a smaller window, or more padding.</source>
        <translation>{0}x{0} 的窗口大于填充后的输入，输入只有 {1} 个像素（{2} + 2 x {3} 填充）：输出将为空。请使用更小的窗口，或增加填充。</translation>
    </message>
    <message>
        <source>Cannot open &apos;{0}&apos;: the file does not exist.</source>
        <translation>无法打开“{0}”：文件不存在。</translation>
    </message>
    <message>
        <source>Cannot open &apos;{0}&apos;: it is a folder, not an image file.</source>
        <translation>无法打开“{0}”：这是一个文件夹，不是图像文件。</translation>
    </message>
    <message>
        <source>Cannot open &apos;{0}&apos;: {1}.</source>
        <translation>无法打开“{0}”：{1}。</translation>
    </message>
    <message>
        <source>Cannot open &apos;{0}&apos;: the file is empty (0 bytes).</source>
        <translation>无法打开“{0}”：文件是空的（0 字节）。</translation>
    </message>
    <message>
        <source>Cannot open &apos;{0}&apos;: permission denied.</source>
        <translation>无法打开“{0}”：没有权限。</translation>
    </message>
    <message>
        <source>Cannot read &apos;{0}&apos;: {1}.</source>
        <translation>无法读取“{0}”：{1}。</translation>
    </message>
    <message>
        <source>Cannot open &apos;{0}&apos;: it is not an image in a supported format ({1}).</source>
        <translation>无法打开“{0}”：它不是受支持格式（{1}）的图像。</translation>
    </message>
    <message>
        <source>Cannot read &apos;{0}&apos;: the file is damaged or truncated ({1}).</source>
        <translation>无法读取“{0}”：文件已损坏或不完整（{1}）。</translation>
    </message>
    <message>
        <source>Cannot open &apos;{0}&apos;: the image has no pixels ({1}x{2}).</source>
        <translation>无法打开“{0}”：图像没有像素（{1}x{2}）。</translation>
    </message>
    <message>
        <source>Cannot open &apos;{0}&apos;: the image is too large ({1} x {2} pixels). The limit is {3} megapixels; resize it first.</source>
        <translation>无法打开“{0}”：图像太大（{1} x {2} 像素）。上限为 {3} 百万像素；请先缩小它。</translation>
    </message>
    <message>
        <source>Cannot open &apos;{0}&apos;: the image is too large. The limit is {1} megapixels; resize it first.</source>
        <translation>无法打开“{0}”：图像太大。上限为 {1} 百万像素；请先缩小它。</translation>
    </message>
    <message>
        <source>Cannot use an array of shape {0} as an image.</source>
        <translation>无法把形状为 {0} 的数组用作图像。</translation>
    </message>
    <message>
        <source>{0} is too large for a list of class names (one name per line).</source>
        <translation>{0} 太大，不像是类别名称列表（每行一个名称）。</translation>
    </message>
    <message>
        <source>Cannot read {0}: {1}.</source>
        <translation>无法读取 {0}：{1}。</translation>
    </message>
    <message>
        <source>{0} is not a text file of class names (one name per line).</source>
        <translation>{0} 不是类别名称的文本文件（每行一个名称）。</translation>
    </message>
    <message>
        <source>{0} holds no class names (one name per line).</source>
        <translation>{0} 中没有类别名称（每行一个名称）。</translation>
    </message>
    <message>
        <source>unknown colormap {0}; choose one of {1}</source>
        <translation>未知的颜色映射 {0}；请从 {1} 中选择</translation>
    </message>
    <message>
        <source>Cannot write to the cache folder {0}: {1}.</source>
        <translation>无法写入缓存文件夹 {0}：{1}。</translation>
    </message>
    <message>
        <source>{0} is empty (0 bytes): it holds no weights.</source>
        <translation>{0} 是空的（0 字节）：其中没有权重。</translation>
    </message>
    <message>
        <source>{0} is not a MindSpore checkpoint: its first bytes are not a checkpoint&apos;s.</source>
        <translation>{0} 不是 MindSpore 检查点：它开头的字节不是检查点的格式。</translation>
    </message>
    <message>
        <source>{0} is truncated: it ends too early{1}. Copy or download the file again.</source>
        <translation>{0} 不完整：文件提前结束{1}。请重新复制或下载该文件。</translation>
    </message>
    <message>
        <source>{0} is damaged or not a MindSpore checkpoint: {1}.</source>
        <translation>{0} 已损坏，或不是 MindSpore 检查点：{1}。</translation>
    </message>
    <message>
        <source>{0}: the parameter {1} has a type this viewer cannot read ({2}).</source>
        <translation>{0}：参数 {1} 的类型本程序无法读取（{2}）。</translation>
    </message>
    <message>
        <source>{0} is damaged: the parameter {1} has a negative size {2}.</source>
        <translation>{0} 已损坏：参数 {1} 的大小为负数 {2}。</translation>
    </message>
    <message>
        <source>{0} could not be read as a safetensors file (truncated or damaged?).</source>
        <translation>无法把 {0} 作为 safetensors 文件读取（不完整或已损坏？）。</translation>
    </message>
    <message>
        <source>{0} is damaged: its CRC check fails. Copy or download the file again.</source>
        <translation>{0} 已损坏：CRC 校验失败。请重新复制或下载该文件。</translation>
    </message>
    <message>
        <source>Cannot write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message>
        <source>The number of samples must be at least 1 (got {0}).</source>
        <translation>抽样次数至少为 1（当前为 {0}）。</translation>
    </message>
    <message>
        <source>The {0} must be a whole number of pixels, at least 1 (got {1}).</source>
        <translation>{0} 必须是至少为 1 的整数像素（当前为 {1}）。</translation>
    </message>
    <message>
        <source>The image contains values that are not finite numbers.</source>
        <translation>图像中含有不是有限数的值。</translation>
    </message>
    <message>
        <source>Choose a file name ending in {0} (not {1}).</source>
        <translation>请选择以 {0} 结尾的文件名（而不是 {1}）。</translation>
    </message>
    <message>
        <source>{0} is not a CIFAR-10 folder: it has no {1} or data_batch_N.bin files.</source>
        <translation>{0} 不是 CIFAR-10 文件夹：其中没有 {1} 或 data_batch_N.bin 文件。</translation>
    </message>
    <message>
        <source>The input size must be at least {0} pixels (got {1}).</source>
        <translation>输入尺寸至少为 {0} 像素（当前为 {1}）。</translation>
    </message>
    <message>
        <source>There is no folder at {0}.</source>
        <translation>{0} 处没有文件夹。</translation>
    </message>
    <message>
        <source>The class folder {0} holds no readable image.</source>
        <translation>类别文件夹 {0} 中没有可读取的图像。</translation>
    </message>
    <message>
        <source>Unknown network kind {0}.</source>
        <translation>未知的网络类型 {0}。</translation>
    </message>
    <message>
        <source>The width factor must be positive (got {0}).</source>
        <translation>宽度倍数必须为正数（当前为 {0}）。</translation>
    </message>
    <message>
        <source>The CIFAR family has depths 6n + 2 (8, 14, 20, 32, 44, 56, 110 ...), not {0}.</source>
        <translation>CIFAR 系列网络的深度为 6n + 2（8、14、20、32、44、56、110 ……），不能是 {0}。</translation>
    </message>
    <message>
        <source>The shapes dataset needs a size of at least {0} pixels (got {1}).</source>
        <translation>形状数据集的尺寸至少为 {0} 像素（当前为 {1}）。</translation>
    </message>
    <message>
        <source>The shapes dataset needs at least one training and one test image per class.</source>
        <translation>形状数据集的每个类别至少需要一张训练图像和一张测试图像。</translation>
    </message>
    <message>
        <source>{0} must be a whole number of at least {1} (got {2}).</source>
        <translation>{0} 必须是不小于 {1} 的整数（当前为 {2}）。</translation>
    </message>
    <message>
        <source>The learning rate must be a positive number (got {0}).</source>
        <translation>学习率必须为正数（当前为 {0}）。</translation>
    </message>
    <message>
        <source>The width factor must be a positive number (got {0}).</source>
        <translation>宽度倍数必须为正数（当前为 {0}）。</translation>
    </message>
    <message>
        <source>Choose at least one network to train.</source>
        <translation>请至少选择一个要训练的网络。</translation>
    </message>
    <message>
        <source>The batch size ({0}) is larger than the training set ({1} images).</source>
        <translation>批大小（{0}）大于训练集（{1} 张图像）。</translation>
    </message>
    <message>
        <source>There is no file at {0}.</source>
        <translation>{0} 处没有文件。</translation>
    </message>
    <message>
        <source>{0} is a folder, not a weights file.</source>
        <translation>{0} 是文件夹，不是权重文件。</translation>
    </message>
    <message>
        <source>{0} is truncated or damaged (its zip archive cannot be read).</source>
        <translation>{0} 不完整或已损坏（无法读取其 zip 压缩包）。</translation>
    </message>
    <message>
        <source>{0} is damaged or truncated: its contents cannot be unpickled.</source>
        <translation>{0} 已损坏或不完整：其内容无法反序列化。</translation>
    </message>
    <message>
        <source>{0} is truncated or damaged (it ends too early).</source>
        <translation>{0} 不完整或已损坏（文件提前结束）。</translation>
    </message>
    <message>
        <source>{0} is damaged or not a PyTorch weights file.</source>
        <translation>{0} 已损坏，或不是 PyTorch 权重文件。</translation>
    </message>
    <message>
        <source>{0} holds an empty state_dict: no weights at all.</source>
        <translation>{0} 中的 state_dict 是空的：完全没有权重。</translation>
    </message>
    <message>
        <source>{0} is not a state_dict: it has a key {1} that is not a name.</source>
        <translation>{0} 不是 state_dict：其中有一个不是名称的键 {1}。</translation>
    </message>
    <message>
        <source>There is no network to save yet: open an image first.</source>
        <translation>还没有可保存的网络：请先打开一张图像。</translation>
    </message>
    <message>
        <source>There is no experiment {0}.</source>
        <translation>没有名为 {0} 的实验。</translation>
    </message>
    <message>
        <source>The input size must be at least 16 pixels.</source>
        <translation>输入尺寸至少为 16 像素。</translation>
    </message>
    <message>
        <source>A run is under way: stop it before starting another.</source>
        <translation>正在训练：请先停止，再开始新的训练。</translation>
    </message>
    <message>
        <source>Train a network first: there is nothing trained to inspect yet.</source>
        <translation>请先训练一个网络：还没有可以查看的已训练网络。</translation>
    </message>
    <message>
        <source>Pause or stop the run first: the explorer shows a network that is not changing.</source>
        <translation>请先暂停或停止训练：浏览器显示的网络必须是不再变化的。</translation>
    </message>
    <message>
        <source>{0} cannot be shown in the explorer.</source>
        <translation>{0} 无法在浏览器中显示。</translation>
    </message>
    <message>
        <source>Train a network first: there are no trained weights to save yet.</source>
        <translation>请先训练一个网络：还没有可以保存的已训练权重。</translation>
    </message>
    <message>
        <source>Pause or stop the run first, so that the weights saved are those of one step.</source>
        <translation>请先暂停或停止训练，以便保存的是某一步的权重。</translation>
    </message>
</context>
<context>
    <name>WeightsFiles</name>
    <message>
        <source>padding: MindSpore &apos;same&apos; (asymmetric)</source>
        <translation>填充：MindSpore 的 same（不对称）</translation>
    </message>
    <message>
        <source>padding: torchvision (symmetric)</source>
        <translation>填充：torchvision（对称）</translation>
    </message>
    <message>
        <source>{0}, batch-norm eps {1}</source>
        <translation>{0}，批量归一化 eps {1}</translation>
    </message>
    <message>
        <source>MindSpore&apos;s &apos;same&apos; padding (asymmetric) and batch-norm eps {0}</source>
        <translation>MindSpore 的 same 填充（不对称）和批量归一化 eps {0}</translation>
    </message>
    <message>
        <source>symmetric padding and batch-norm eps {0}</source>
        <translation>对称填充和批量归一化 eps {0}</translation>
    </message>
    <message>
        <source>Class names, one per line</source>
        <translation>类别名称，每行一个</translation>
    </message>
    <message>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>文本文件 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>There is no network to save yet: open an image first.</source>
        <translation>还没有可保存的网络：请先打开一张图像。</translation>
    </message>
    <message>
        <source>PyTorch safetensors, torchvision layout (*.safetensors)</source>
        <translation>PyTorch safetensors，torchvision 布局 (*.safetensors)</translation>
    </message>
    <message>
        <source>PyTorch state_dict, torchvision layout (*.pth)</source>
        <translation>PyTorch state_dict，torchvision 布局 (*.pth)</translation>
    </message>
    <message>
        <source>MindSpore checkpoint, model zoo names (*.ckpt)</source>
        <translation>MindSpore 检查点，Model Zoo 命名 (*.ckpt)</translation>
    </message>
    <message>
        <source>MindSpore checkpoint, tutorial names (*.ckpt)</source>
        <translation>MindSpore 检查点，教程命名 (*.ckpt)</translation>
    </message>
    <message>
        <source>Save weights</source>
        <translation>保存权重</translation>
    </message>
    <message>
        <source>Save weights: they compute with MindSpore&apos;s padding, a plain torchvision ResNet computes different numbers from them</source>
        <translation>保存权重：它们按 MindSpore 的填充方式计算，普通的 torchvision ResNet 用它们会算出不同的数值</translation>
    </message>
    <message>
        <source>Saving {0} ...</source>
        <translation>正在保存 {0} ……</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Weights saved</source>
        <translation>权重已保存</translation>
    </message>
    <message>
        <source>Saved {0} in torchvision&apos;s layout: a torchvision ResNet computes the same numbers from it.</source>
        <translation>已按 torchvision 的布局保存 {0}：torchvision ResNet 用它会算出相同的数值。</translation>
    </message>
    <message>
        <source>Saved {0} in torchvision&apos;s layout. These weights compute with {1}: the file&apos;s metadata records that, and the explorer reopens it with the same numbers, but a plain torchvision ResNet computes different numbers from it.</source>
        <translation>已按 torchvision 的布局保存 {0}。这些权重按 {1} 计算：文件的元数据记录了这一点，浏览器重新打开它时会得到相同的数值，但普通的 torchvision ResNet 用它会算出不同的数值。</translation>
    </message>
    <message>
        <source>model zoo</source>
        <translation>Model Zoo</translation>
    </message>
    <message>
        <source>ResNet50 tutorial</source>
        <translation>ResNet50 教程</translation>
    </message>
    <message>
        <source>Saved {0} with the names of MindSpore&apos;s {1}: its network computes the same numbers from it.</source>
        <translation>已按 MindSpore {1} 的命名保存 {0}：它的网络用它会算出相同的数值。</translation>
    </message>
    <message>
        <source>Saved {0} with the names of MindSpore&apos;s {1}. Its network computes with {2}, the explorer with {3}: from these weights it computes different numbers than the explorer showed.</source>
        <translation>已按 MindSpore {1} 的命名保存 {0}。它的网络按 {2} 计算，浏览器按 {3} 计算：用这些权重，它算出的数值与浏览器显示的不同。</translation>
    </message>
    <message>
        <source>Saving failed: {0}</source>
        <translation>保存失败：{0}</translation>
    </message>
    <message>
        <source>Export as NumPy (.npy)</source>
        <translation>导出为 NumPy (.npy)</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npy)</source>
        <translation>NumPy 数组 (*.npy)</translation>
    </message>
    <message>
        <source>Saved {0}: {1}, a {2} float32 tensor</source>
        <translation>已保存 {0}：{1}，形状为 {2} 的 float32 张量</translation>
    </message>
</context>
<context>
    <name>WindowView</name>
    <message>
        <source>Window x</source>
        <translation>窗口 x</translation>
    </message>
    <message>
        <source>Kernel k (editable)</source>
        <translation>卷积核 k（可编辑）</translation>
    </message>
    <message>
        <source>Products x·k</source>
        <translation>乘积 x·k</translation>
    </message>
    <message>
        <source>&apos;{0}&apos; is not a number; the kernel keeps its old value.</source>
        <translation>“{0}”不是数字；卷积核保持原值。</translation>
    </message>
</context>
<context>
    <name>samples</name>
    <message>
        <source>Astronaut</source>
        <translation>宇航员</translation>
    </message>
    <message>
        <source>A portrait with faces, flags and fine texture.</source>
        <translation>一张有人脸、旗帜和细腻纹理的肖像。</translation>
    </message>
    <message>
        <source>Cat</source>
        <translation>猫</translation>
    </message>
    <message>
        <source>Fur texture and whiskers: many orientations of edges.</source>
        <translation>毛发纹理和胡须：各种方向的边缘。</translation>
    </message>
    <message>
        <source>Coffee</source>
        <translation>咖啡</translation>
    </message>
    <message>
        <source>Smooth gradients and round shapes.</source>
        <translation>平滑的亮度梯度和圆形。</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄影师</translation>
    </message>
    <message>
        <source>A grayscale photograph with strong contrast.</source>
        <translation>一张对比强烈的灰度照片。</translation>
    </message>
    <message>
        <source>Vertical edge</source>
        <translation>竖直边缘</translation>
    </message>
    <message>
        <source>One vertical edge: Sobel x fires, Sobel y does not.</source>
        <translation>一条竖直边缘：Sobel x 有响应，Sobel y 没有。</translation>
    </message>
    <message>
        <source>Checkerboard</source>
        <translation>棋盘格</translation>
    </message>
    <message>
        <source>Edges in both directions and corners.</source>
        <translation>两个方向的边缘以及角点。</translation>
    </message>
    <message>
        <source>Stripes</source>
        <translation>条纹</translation>
    </message>
    <message>
        <source>Stripes of four frequencies: watch pooling alias the finest.</source>
        <translation>四种频率的条纹：观察池化如何让最细的条纹混叠。</translation>
    </message>
    <message>
        <source>Texture patch</source>
        <translation>纹理块</translation>
    </message>
    <message>
        <source>Texture on a smooth background: max pooling keeps the texture, average the background.</source>
        <translation>平滑背景上的纹理：最大池化保留纹理，平均池化保留背景。</translation>
    </message>
    <message>
        <source>5x5 grid</source>
        <translation>5x5 网格</translation>
    </message>
    <message>
        <source>The course&apos;s 5x5 numeric input.</source>
        <translation>课程中的 5x5 数值输入。</translation>
    </message>
</context>
</TS>
