;; Row kernels of the unlearning engine's sweeps (residual-sweep.ts, newton-cg.ts, kernels/score-rows.ts)
;; and the step matrices' factor (linalg.ts), in WebAssembly SIMD.
;;
;; Rows are float32, `dp` values each (d + 1 rounded up to a multiple of 4, the padding zero);
;; weights, coefficients and accumulators are float64, and every product and sum is float64:
;; each float32 lane is promoted before it is multiplied. The sums run in two float64 lanes per
;; half of each group of four columns, so the order of additions differs from a plain loop (the
;; results agree to rounding, about 1e-16 relative); it is fixed, so runs are deterministic.
;;
;; Addresses are byte offsets into the module's own memory; `rows` lists row numbers relative to
;; the rows block at `x`. Rows go four at a time so that each load of w or of the accumulator
;; serves four rows; a tail loop takes the last one to three.
;;
;; Compiled to rows-wasm.ts by build-kernels.ts (npm run build:kernels); a test checks the two agree.
(module
  (memory (export "memory") 1 65536)

  ;; z[r] = x[rows[r]] · w for r < count.
  (func (export "dots") (param $x i32) (param $dp i32) (param $rows i32) (param $count i32) (param $w i32) (param $z i32)
    (local $r i32) (local $j i32) (local $end i32) (local $rowBytes i32) (local $rp i32) (local $p i32)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $v v128) (local $lo v128) (local $hi v128)
    (local $wp i32) (local $w0 v128) (local $w1 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $rowBytes (i32.shl (local.get $dp) (i32.const 2)))
    (local.set $end (i32.and (local.get $count) (i32.const -4)))
    (block $quads
      (loop $quad
        (br_if $quads (i32.ge_u (local.get $r) (local.get $end)))
        (local.set $rp (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $o0 (i32.add (local.get $x) (i32.mul (i32.load (local.get $rp)) (local.get $rowBytes))))
        (local.set $o1 (i32.add (local.get $x) (i32.mul (i32.load offset=4 (local.get $rp)) (local.get $rowBytes))))
        (local.set $o2 (i32.add (local.get $x) (i32.mul (i32.load offset=8 (local.get $rp)) (local.get $rowBytes))))
        (local.set $o3 (i32.add (local.get $x) (i32.mul (i32.load offset=12 (local.get $rp)) (local.get $rowBytes))))
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0))
        (local.set $a3 (v128.const f64x2 0 0))
        (local.set $b0 (v128.const f64x2 0 0))
        (local.set $b1 (v128.const f64x2 0 0))
        (local.set $b2 (v128.const f64x2 0 0))
        (local.set $b3 (v128.const f64x2 0 0))
        (local.set $j (i32.const 0))
        (local.set $wp (local.get $w))
        (loop $cols
          (local.set $w0 (v128.load (local.get $wp)))
          (local.set $w1 (v128.load offset=16 (local.get $wp)))
          (local.set $v (v128.load (i32.add (local.get $o0) (local.get $j))))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $lo) (local.get $w0))))
          (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $hi) (local.get $w1))))
          (local.set $v (v128.load (i32.add (local.get $o1) (local.get $j))))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $lo) (local.get $w0))))
          (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $hi) (local.get $w1))))
          (local.set $v (v128.load (i32.add (local.get $o2) (local.get $j))))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $lo) (local.get $w0))))
          (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $hi) (local.get $w1))))
          (local.set $v (v128.load (i32.add (local.get $o3) (local.get $j))))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $lo) (local.get $w0))))
          (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $hi) (local.get $w1))))
          (local.set $wp (i32.add (local.get $wp) (i32.const 32)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $cols (i32.lt_u (local.get $j) (local.get $rowBytes))))
        (local.set $p (i32.add (local.get $z) (i32.shl (local.get $r) (i32.const 3))))
        (f64.store (local.get $p)
          (f64.add (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0)))
            (f64.add (f64x2.extract_lane 0 (local.get $b0)) (f64x2.extract_lane 1 (local.get $b0)))))
        (f64.store offset=8 (local.get $p)
          (f64.add (f64.add (f64x2.extract_lane 0 (local.get $a1)) (f64x2.extract_lane 1 (local.get $a1)))
            (f64.add (f64x2.extract_lane 0 (local.get $b1)) (f64x2.extract_lane 1 (local.get $b1)))))
        (f64.store offset=16 (local.get $p)
          (f64.add (f64.add (f64x2.extract_lane 0 (local.get $a2)) (f64x2.extract_lane 1 (local.get $a2)))
            (f64.add (f64x2.extract_lane 0 (local.get $b2)) (f64x2.extract_lane 1 (local.get $b2)))))
        (f64.store offset=24 (local.get $p)
          (f64.add (f64.add (f64x2.extract_lane 0 (local.get $a3)) (f64x2.extract_lane 1 (local.get $a3)))
            (f64.add (f64x2.extract_lane 0 (local.get $b3)) (f64x2.extract_lane 1 (local.get $b3)))))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $quad)))
    (block $tail
      (loop $one
        (br_if $tail (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $rp (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $o0 (i32.add (local.get $x) (i32.mul (i32.load (local.get $rp)) (local.get $rowBytes))))
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $b0 (v128.const f64x2 0 0))
        (local.set $j (i32.const 0))
        (local.set $wp (local.get $w))
        (loop $cols
          (local.set $v (v128.load (i32.add (local.get $o0) (local.get $j))))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $lo) (v128.load (local.get $wp)))))
          (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $hi) (v128.load offset=16 (local.get $wp)))))
          (local.set $wp (i32.add (local.get $wp) (i32.const 32)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $cols (i32.lt_u (local.get $j) (local.get $rowBytes))))
        (f64.store (i32.add (local.get $z) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0)))
            (f64.add (f64x2.extract_lane 0 (local.get $b0)) (f64x2.extract_lane 1 (local.get $b0)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $one))))

  ;; acc += Σ_r c[r] x[rows[r]] over r < count.
  (func (export "axpy") (param $x i32) (param $dp i32) (param $rows i32) (param $count i32) (param $c i32) (param $acc i32)
    (local $r i32) (local $j i32) (local $end i32) (local $rowBytes i32) (local $rp i32) (local $p i32)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $v v128) (local $lo v128) (local $hi v128)
    (local $ap i32) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $sl v128) (local $sh v128)
    (local.set $rowBytes (i32.shl (local.get $dp) (i32.const 2)))
    (local.set $end (i32.and (local.get $count) (i32.const -4)))
    (block $quads
      (loop $quad
        (br_if $quads (i32.ge_u (local.get $r) (local.get $end)))
        (local.set $rp (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $o0 (i32.add (local.get $x) (i32.mul (i32.load (local.get $rp)) (local.get $rowBytes))))
        (local.set $o1 (i32.add (local.get $x) (i32.mul (i32.load offset=4 (local.get $rp)) (local.get $rowBytes))))
        (local.set $o2 (i32.add (local.get $x) (i32.mul (i32.load offset=8 (local.get $rp)) (local.get $rowBytes))))
        (local.set $o3 (i32.add (local.get $x) (i32.mul (i32.load offset=12 (local.get $rp)) (local.get $rowBytes))))
        (local.set $p (i32.add (local.get $c) (i32.shl (local.get $r) (i32.const 3))))
        (local.set $c0 (f64x2.splat (f64.load (local.get $p))))
        (local.set $c1 (f64x2.splat (f64.load offset=8 (local.get $p))))
        (local.set $c2 (f64x2.splat (f64.load offset=16 (local.get $p))))
        (local.set $c3 (f64x2.splat (f64.load offset=24 (local.get $p))))
        (local.set $j (i32.const 0))
        (local.set $ap (local.get $acc))
        (loop $cols
          (local.set $v (v128.load (i32.add (local.get $o0) (local.get $j))))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (local.set $sl (f64x2.mul (local.get $lo) (local.get $c0)))
          (local.set $sh (f64x2.mul (local.get $hi) (local.get $c0)))
          (local.set $v (v128.load (i32.add (local.get $o1) (local.get $j))))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (local.set $sl (f64x2.add (local.get $sl) (f64x2.mul (local.get $lo) (local.get $c1))))
          (local.set $sh (f64x2.add (local.get $sh) (f64x2.mul (local.get $hi) (local.get $c1))))
          (local.set $v (v128.load (i32.add (local.get $o2) (local.get $j))))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (local.set $sl (f64x2.add (local.get $sl) (f64x2.mul (local.get $lo) (local.get $c2))))
          (local.set $sh (f64x2.add (local.get $sh) (f64x2.mul (local.get $hi) (local.get $c2))))
          (local.set $v (v128.load (i32.add (local.get $o3) (local.get $j))))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (local.set $sl (f64x2.add (local.get $sl) (f64x2.mul (local.get $lo) (local.get $c3))))
          (local.set $sh (f64x2.add (local.get $sh) (f64x2.mul (local.get $hi) (local.get $c3))))
          (v128.store (local.get $ap) (f64x2.add (v128.load (local.get $ap)) (local.get $sl)))
          (v128.store offset=16 (local.get $ap) (f64x2.add (v128.load offset=16 (local.get $ap)) (local.get $sh)))
          (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $cols (i32.lt_u (local.get $j) (local.get $rowBytes))))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $quad)))
    (block $tail
      (loop $one
        (br_if $tail (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $rp (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $o0 (i32.add (local.get $x) (i32.mul (i32.load (local.get $rp)) (local.get $rowBytes))))
        (local.set $c0 (f64x2.splat (f64.load (i32.add (local.get $c) (i32.shl (local.get $r) (i32.const 3))))))
        (local.set $j (i32.const 0))
        (local.set $ap (local.get $acc))
        (loop $cols
          (local.set $v (v128.load (i32.add (local.get $o0) (local.get $j))))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (v128.store (local.get $ap) (f64x2.add (v128.load (local.get $ap)) (f64x2.mul (local.get $lo) (local.get $c0))))
          (v128.store offset=16 (local.get $ap) (f64x2.add (v128.load offset=16 (local.get $ap)) (f64x2.mul (local.get $hi) (local.get $c0))))
          (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $cols (i32.lt_u (local.get $j) (local.get $rowBytes))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $one))))

;; acc += Σ_r c[r] (x[rows[r]] ∘ x[rows[r]]) over r < count: the rows' squares, weighted (a
  ;; Hessian's diagonal, the conjugate-gradient preconditioner), one row at a time.
  (func (export "axpySquares") (param $x i32) (param $dp i32) (param $rows i32) (param $count i32) (param $c i32) (param $acc i32)
    (local $r i32) (local $j i32) (local $rowBytes i32) (local $ap i32) (local $o i32) (local $cr v128) (local $v v128)
    (local $lo v128) (local $hi v128)
    (local.set $rowBytes (i32.shl (local.get $dp) (i32.const 2)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $o (i32.add (local.get $x)
          (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (local.get $r) (i32.const 2)))) (local.get $rowBytes))))
        (local.set $cr (f64x2.splat (f64.load (i32.add (local.get $c) (i32.shl (local.get $r) (i32.const 3))))))
        (local.set $j (i32.const 0))
        (local.set $ap (local.get $acc))
        (loop $cols
          (local.set $v (v128.load (i32.add (local.get $o) (local.get $j))))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (v128.store (local.get $ap)
            (f64x2.add (v128.load (local.get $ap)) (f64x2.mul (local.get $cr) (f64x2.mul (local.get $lo) (local.get $lo)))))
          (v128.store offset=16 (local.get $ap)
            (f64x2.add (v128.load offset=16 (local.get $ap)) (f64x2.mul (local.get $cr) (f64x2.mul (local.get $hi) (local.get $hi)))))
          (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $cols (i32.lt_u (local.get $j) (local.get $rowBytes))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

    ;; In place, on a symmetric positive-definite n × n float64 matrix (row-major at a, its upper
  ;; triangle equal to its lower): A = UᵀU, U over the upper triangle with its diagonal, right-looking
  ;; (row k of U, then the trailing upper triangle less its outer product), the strict lower triangle
  ;; never written. The same operations in the same order as linalg.ts's choleskyUpperInPlace loops
  ;; (subtraction of a product, no fused multiply-add), two columns at a time: bit-identical results.
  ;; Returns 0 at a pivot that is not positive (the matrix is then partly overwritten), else 1.
  (func (export "choleskyUpper") (param $a i32) (param $n i32) (result i32)
    (local $k i32) (local $i i32) (local $j i32) (local $rowBytes i32) (local $rk i32) (local $ri i32)
    (local $pivot f64) (local $ukk f64) (local $us f64) (local $u v128)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $col
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $rk (i32.add (local.get $a) (i32.mul (local.get $k) (local.get $rowBytes))))
        (local.set $pivot (f64.load (i32.add (local.get $rk) (i32.shl (local.get $k) (i32.const 3)))))
        (if (i32.eqz (f64.gt (local.get $pivot) (f64.const 0))) (then (return (i32.const 0))))
        (local.set $ukk (f64.sqrt (local.get $pivot)))
        (f64.store (i32.add (local.get $rk) (i32.shl (local.get $k) (i32.const 3))) (local.get $ukk))
        ;; Row k of U: the rest of the row over the pivot's root.
        (local.set $j (i32.add (local.get $k) (i32.const 1)))
        (block $scaled
          (loop $scale
            (br_if $scaled (i32.ge_u (local.get $j) (local.get $n)))
            (f64.store (i32.add (local.get $rk) (i32.shl (local.get $j) (i32.const 3)))
              (f64.div (f64.load (i32.add (local.get $rk) (i32.shl (local.get $j) (i32.const 3)))) (local.get $ukk)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $scale)))
        ;; Rows i > k of the trailing upper triangle: a[i][j] −= u[k][i] · u[k][j] for j ≥ i.
        (local.set $i (i32.add (local.get $k) (i32.const 1)))
        (block $updated
          (loop $row
            (br_if $updated (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $us (f64.load (i32.add (local.get $rk) (i32.shl (local.get $i) (i32.const 3)))))
            (if (f64.ne (local.get $us) (f64.const 0))
              (then
                (local.set $u (f64x2.splat (local.get $us)))
                (local.set $ri (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowBytes))))
                (local.set $j (local.get $i))
                (block $pairs
                  (loop $pair
                    (br_if $pairs (i32.ge_u (i32.add (local.get $j) (i32.const 1)) (local.get $n)))
                    (v128.store (i32.add (local.get $ri) (i32.shl (local.get $j) (i32.const 3)))
                      (f64x2.sub
                        (v128.load (i32.add (local.get $ri) (i32.shl (local.get $j) (i32.const 3))))
                        (f64x2.mul (local.get $u) (v128.load (i32.add (local.get $rk) (i32.shl (local.get $j) (i32.const 3)))))))
                    (local.set $j (i32.add (local.get $j) (i32.const 2)))
                    (br $pair)))
                (if (i32.lt_u (local.get $j) (local.get $n))
                  (then
                    (f64.store (i32.add (local.get $ri) (i32.shl (local.get $j) (i32.const 3)))
                      (f64.sub
                        (f64.load (i32.add (local.get $ri) (i32.shl (local.get $j) (i32.const 3))))
                        (f64.mul (local.get $us) (f64.load (i32.add (local.get $rk) (i32.shl (local.get $j) (i32.const 3)))))))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $row)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $col)))
    (i32.const 1)))
